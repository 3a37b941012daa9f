using System.Net;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Accounts;

/// <summary>On SQLite; <see cref="AccountPostgresTests"/> runs the same on PostgreSQL.</summary>
public class AccountTests : StoreAppTests
{
    public AccountTests() : base(StoreProvider.Sqlite)
    {
    }

    protected AccountTests(StoreProvider provider) : base(provider)
    {
    }

    /// <summary>Where a redirect points, as a path and query whether the header is absolute or not.</summary>
    private static string Target(HttpResponseMessage response) =>
        new Uri(new Uri("http://localhost"), response.Headers.Location!).PathAndQuery;

    [StoreFact]
    public async Task Pages_need_a_signed_in_user_and_the_admin_can_sign_in()
    {
        await using var app = NewApp();
        var client = app.CreateCookieClient();

        var anonymous = await client.GetAsync("/dashboard");
        var signedIn = await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        var dashboard = await client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/login", Target(anonymous));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", Target(signedIn));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.NotNull(await app.QueryAsync(db => db.Users.Where(u => u.Email == LeadPortalFactory.AdminEmail).Select(u => u.LastSignInAt).SingleAsync()));
    }

    [StoreFact]
    public async Task Repeated_failures_lock_the_account()
    {
        await using var app = NewApp();
        var client = app.CreateCookieClient();

        for (var i = 0; i < 5; i++)
        {
            var failed = await client.SignInAsync(LeadPortalFactory.AdminEmail, "wrong password");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        var locked = await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("locked for 15 minutes", await locked.Content.ReadAsStringAsync());
    }

    [StoreFact]
    public async Task Without_a_configured_password_the_first_admin_must_choose_one_at_first_sign_in()
    {
        await using var app = NewApp(new Dictionary<string, string?> { ["Bootstrap:AdminPassword"] = "" });
        app.CreateClient();

        var admin = await app.QueryAsync(db => db.Users.SingleAsync());

        Assert.True(admin.MustChangePassword);
        Assert.Equal(LeadPortalFactory.AdminEmail, admin.Email);
    }

    [StoreFact]
    public async Task A_temporary_password_sends_every_page_to_the_change_password_page()
    {
        await using var app = NewApp();
        var client = app.CreateCookieClient();
        await app.QueryAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.MustChangePassword, true)));

        var signedIn = await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        var inbox = await client.GetAsync("/leads?country=SE");

        Assert.StartsWith("/account/change-password", Target(signedIn));
        Assert.Equal(HttpStatusCode.Redirect, inbox.StatusCode);
        Assert.Equal("/account/change-password?returnUrl=%2Fleads%3Fcountry%3DSE", Target(inbox));
    }
}

[PostgresStore]
public sealed class AccountPostgresTests() : AccountTests(StoreProvider.Postgres);
