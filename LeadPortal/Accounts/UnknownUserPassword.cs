using System.Security.Cryptography;
using LeadPortal.Data;
using Microsoft.AspNetCore.Identity;

namespace LeadPortal.Accounts;

/// <summary>
/// Gives a sign-in with an unknown email the cost of a known one: its password is checked against a stand-in hash,
/// so how long the answer takes does not tell which emails have an account.
/// </summary>
internal static class UnknownUserPassword
{
    private static readonly AppUser Nobody = new();
    private static string? _hash;

    public static void Verify(IPasswordHasher<AppUser> hasher, string password)
    {
        // Made by the app's own hasher at first use, so it has the algorithm and iteration count real hashes have.
        var hash = _hash ??= hasher.HashPassword(Nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        hasher.VerifyHashedPassword(Nobody, hash, password);
    }
}
