using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeadPortal.Accounts;

/// <summary>
/// Unhealthy when sign-in cannot work for key reasons: the configured certificate is unusable, the key ring cannot be
/// read from the database, or a current key cannot be decrypted. The app's own protector caches the key ring for hours,
/// so besides a round trip through it every current key is read afresh from the database and used once by itself.
/// </summary>
internal sealed class DataProtectionHealthCheck(
    IDataProtectionProvider provider, IKeyManager keyManager, KeyRing.Protection protection, TimeProvider time) : IHealthCheck
{
    private static readonly byte[] Probe = "LeadPortal data-protection health check"u8.ToArray();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (protection.Problem is not null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(protection.Problem));
        }

        try
        {
            // Creates the first key on a new database, as the first sign-in would.
            var protector = provider.CreateProtector("LeadPortal.HealthCheck");
            if (!protector.Unprotect(protector.Protect(Probe)).AsSpan().SequenceEqual(Probe))
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("Data protection did not give back what it protected."));
            }
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Data protection does not work: {ex.Message}", ex));
        }

        IReadOnlyCollection<IKey> keys;
        try
        {
            keys = keyManager.GetAllKeys();
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The data-protection key ring cannot be read from the database: {ex.Message}", ex));
        }

        var now = time.GetUtcNow();
        var current = keys.Where(k => !k.IsRevoked && k.ExpirationDate > now).ToList();
        if (current.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                "The database holds no current data-protection key: the app runs on keys it read earlier, and a restart signs everyone out."));
        }

        foreach (var key in current)
        {
            try
            {
                // Reading the descriptor decrypts the key's XML (certificate or DPAPI); the round trip proves the key material.
                _ = key.Descriptor;
                var encryptor = key.CreateEncryptor() ?? throw new CryptographicException("No encryptor can use this key.");
                var roundTrip = encryptor.Decrypt(
                    new ArraySegment<byte>(encryptor.Encrypt(new ArraySegment<byte>(Probe), ArraySegment<byte>.Empty)), ArraySegment<byte>.Empty);
                if (!roundTrip.AsSpan().SequenceEqual(Probe))
                {
                    throw new CryptographicException("The key did not decrypt what it encrypted.");
                }
            }
            catch (Exception ex)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy(
                    $"The data-protection key {key.KeyId} (expires {key.ExpirationDate:yyyy-MM-dd}) cannot be used: {ex.Message}", ex));
            }
        }

        return Task.FromResult(HealthCheckResult.Healthy($"{current.Count} current data-protection key(s), {protection.AtRest}."));
    }
}
