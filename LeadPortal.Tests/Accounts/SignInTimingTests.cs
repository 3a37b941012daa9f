using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadPortal.Tests.Accounts;

/// <summary>Timing is checked by counting the expensive step (a PBKDF2 password check), not by measuring time.</summary>
public sealed class SignInTimingTests
{
    [Fact]
    public async Task An_unknown_email_costs_the_same_password_check_as_a_known_one()
    {
        var checks = new PasswordChecks();
        await using var app = new LeadPortalFactory();
        var counted = app.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddScoped<IPasswordHasher<AppUser>>(sp => new CountingHasher(
                new PasswordHasher<AppUser>(sp.GetRequiredService<IOptions<PasswordHasherOptions>>()), checks))));
        var client = counted.CreateCookieClient();

        var before = checks.Count;
        var unknown = await client.SignInAsync("nobody@leadportal.test", "Some-Passw0rd-1");
        var forUnknown = checks.Count - before;
        before = checks.Count;
        var known = await client.SignInAsync(LeadPortalFactory.AdminEmail, "Some-Passw0rd-1");
        var forKnown = checks.Count - before;

        Assert.Contains("The email or password is not right.", await unknown.Content.ReadAsStringAsync());
        Assert.Contains("The email or password is not right.", await known.Content.ReadAsStringAsync());
        Assert.Equal(1, forKnown);
        Assert.Equal(forKnown, forUnknown);
    }

    private sealed class PasswordChecks
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }

    private sealed class CountingHasher(IPasswordHasher<AppUser> inner, PasswordChecks checks) : IPasswordHasher<AppUser>
    {
        public string HashPassword(AppUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            checks.Add();
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
