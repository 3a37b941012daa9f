using System.Net;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadPortal.Tests.Accounts;

/// <summary>
/// Timing is checked by counting the expensive step (a PBKDF2 password check), not by measuring time. On SQLite;
/// <see cref="SignInTimingPostgresTests"/> runs the same on PostgreSQL.
/// </summary>
public class SignInTimingTests : StoreAppTests
{
    public SignInTimingTests() : base(StoreProvider.Sqlite)
    {
    }

    protected SignInTimingTests(StoreProvider provider) : base(provider)
    {
    }

    /// <summary>The app with its password checks counted into <paramref name="checks"/>.</summary>
    private static WebApplicationFactory<Program> Counted(LeadPortalFactory app, PasswordChecks checks) =>
        app.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddScoped<IPasswordHasher<AppUser>>(sp => new CountingHasher(
                new PasswordHasher<AppUser>(sp.GetRequiredService<IOptions<PasswordHasherOptions>>()), checks))));

    /// <summary>A sign-in's answer and how many password checks it cost.</summary>
    private static async Task<(HttpStatusCode Status, string Page, int Checks)> SignInAsync(HttpClient client, PasswordChecks checks, string email, string password)
    {
        var before = checks.Count;
        var response = await client.SignInAsync(email, password);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), checks.Count - before);
    }

    [StoreFact]
    public async Task An_unknown_email_costs_the_same_password_check_as_a_known_one()
    {
        var checks = new PasswordChecks();
        await using var app = NewApp();
        var client = Counted(app, checks).CreateCookieClient();

        var unknown = await SignInAsync(client, checks, "nobody@leadportal.test", "Some-Passw0rd-1");
        var known = await SignInAsync(client, checks, LeadPortalFactory.AdminEmail, "Some-Passw0rd-1");

        Assert.Contains("The email or password is not right.", unknown.Page);
        Assert.Contains("The email or password is not right.", known.Page);
        Assert.Equal(1, known.Checks);
        Assert.Equal(known.Checks, unknown.Checks);
    }

    [StoreFact]
    public async Task An_account_an_earlier_lockout_left_locked_costs_the_same_check_and_answer_as_an_unknown_email()
    {
        // Identity's lockout turned such an account away before checking its password: a quicker answer, and other words.
        var checks = new PasswordChecks();
        await using var app = NewApp();
        var client = Counted(app, checks).CreateCookieClient();
        await app.QueryAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddMinutes(15))));

        var unknown = await SignInAsync(client, checks, "nobody@leadportal.test", "Some-Passw0rd-1");
        var locked = await SignInAsync(client, checks, LeadPortalFactory.AdminEmail, "Some-Passw0rd-1");

        Assert.Equal(unknown.Status, locked.Status);
        Assert.Contains("The email or password is not right.", locked.Page);
        Assert.Equal(1, locked.Checks);
        Assert.Equal(unknown.Checks, locked.Checks);
    }

    [StoreFact]
    public async Task A_refused_attempt_checks_no_password_whether_the_email_has_an_account_or_not()
    {
        var checks = new PasswordChecks();
        await using var app = NewApp(new Dictionary<string, string?> { ["SignIn:FailuresPerEmailPerClient"] = "1" });
        var client = Counted(app, checks).CreateCookieClient();
        await SignInAsync(client, checks, "nobody@leadportal.test", "Some-Passw0rd-1");
        await SignInAsync(client, checks, LeadPortalFactory.AdminEmail, "Some-Passw0rd-1");

        var unknown = await SignInAsync(client, checks, "nobody@leadportal.test", "Some-Passw0rd-1");
        var known = await SignInAsync(client, checks, LeadPortalFactory.AdminEmail, "Some-Passw0rd-1");

        Assert.Equal((HttpStatusCode)429, known.Status);
        Assert.Equal(unknown.Status, known.Status);
        Assert.Equal(0, known.Checks);
        Assert.Equal(0, unknown.Checks);
    }

    internal sealed class PasswordChecks
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

[PostgresStore]
public sealed class SignInTimingPostgresTests() : SignInTimingTests(StoreProvider.Postgres);
