using System.Net;
using System.Security.Claims;
using LeadPortal.Accounts;
using LeadPortal.Admin;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Accounts;

/// <summary>Sessions are kept server-side: ending one refuses every copy of its cookie at once.</summary>
/// <summary>On SQLite; <see cref="SessionPostgresTests"/> runs the same on PostgreSQL.</summary>
public class SessionTests : StoreAppTests
{
    public SessionTests() : base(StoreProvider.Sqlite)
    {
    }

    protected SessionTests(StoreProvider provider) : base(provider)
    {
    }

    private const string SalesEmail = "sales@leadportal.test";
    private const string SalesPassword = "Sales-Passw0rd!";

    /// <summary>An authorized API route: a signed-in user gets 404 (no such run), anyone else 401.</summary>
    private const string ApiRoute = "/api/exports/999/csv";

    private static string Target(HttpResponseMessage response) =>
        new Uri(new Uri("http://localhost"), response.Headers.Location!).PathAndQuery;

    [StoreFact]
    public async Task A_copied_cookie_is_refused_once_its_owner_signs_out()
    {
        await using var app = NewApp();
        var owner = app.CreateCookieClient();
        var copy = app.CreateClientWithCookie((await owner.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword)).AuthCookie());
        var beforePage = await copy.GetAsync("/dashboard");
        var beforeApi = await copy.GetAsync(ApiRoute);

        await owner.SignOutAsync();
        var afterPage = await copy.GetAsync("/dashboard");
        var afterApi = await copy.GetAsync(ApiRoute);

        Assert.Equal(HttpStatusCode.OK, beforePage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, beforeApi.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, afterPage.StatusCode);
        Assert.StartsWith("/account/login", Target(afterPage));
        Assert.Equal(HttpStatusCode.Unauthorized, afterApi.StatusCode);
        Assert.Equal(0, await app.QueryAsync(db => db.AuthSessions.CountAsync()));
    }

    [StoreFact]
    public async Task Sliding_renewal_keeps_a_used_session_alive_past_its_first_expiry_and_an_idle_one_still_ends()
    {
        var clock = new FixedTime(DateTimeOffset.UtcNow);
        var start = clock.Now;
        await using var app = NewApp();
        var timed = app.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        var client = timed.CreateCookieClient();
        await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);

        clock.Now = start.AddHours(7);
        var renewed = await client.GetAsync("/dashboard");
        var expiresAt = await app.QueryAsync(db => db.AuthSessions.Select(s => s.ExpiresAt).SingleAsync());
        clock.Now = start.AddHours(14);
        var pastFirstExpiry = await client.GetAsync("/dashboard");
        clock.Now = start.AddHours(14 + 13);
        var idle = await client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(start.AddHours(7 + 12).UtcDateTime, expiresAt, TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, pastFirstExpiry.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
        Assert.StartsWith("/account/login", Target(idle));
    }

    [StoreFact]
    public async Task A_sign_in_deletes_expired_sessions()
    {
        await using var app = NewApp();
        var client = app.CreateCookieClient();
        var now = DateTime.UtcNow;
        await app.QueryAsync(db =>
        {
            for (var i = 0; i < 3; i++)
            {
                db.AuthSessions.Add(new AuthSession { Id = $"expired-{i}", Ticket = [1], CreatedAt = now.AddDays(-2), ExpiresAt = now.AddHours(-i - 1) });
            }

            db.AuthSessions.Add(new AuthSession { Id = "live", Ticket = [1], CreatedAt = now, ExpiresAt = now.AddHours(1) });
            return db.SaveChangesAsync();
        });

        await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        var left = await app.QueryAsync(db => db.AuthSessions.Select(s => s.Id).ToListAsync());

        Assert.DoesNotContain(left, id => id.StartsWith("expired-", StringComparison.Ordinal));
        Assert.Contains("live", left);
        Assert.Equal(2, left.Count);
    }

    [StoreFact]
    public async Task Signing_in_as_someone_else_over_a_session_ends_it_instead_of_handing_it_over()
    {
        await using var app = NewApp();
        await AddSalesUserAsync(app);
        var browser = app.CreateCookieClient();
        var adminCookie = (await browser.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword)).AuthCookie();

        // The browser still carries the admin's session cookie while someone signs in as another user.
        await browser.SignInAsync(SalesEmail, SalesPassword);
        var heldCopy = await app.CreateClientWithCookie(adminCookie).GetAsync("/dashboard");
        var browserAfter = await browser.GetAsync("/dashboard");
        await browser.SignInAsync(SalesEmail, SalesPassword);
        var browserOnceMore = await browser.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, heldCopy.StatusCode);
        Assert.StartsWith("/account/login", Target(heldCopy));
        Assert.Equal(HttpStatusCode.Redirect, browserAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, browserOnceMore.StatusCode);
        Assert.Equal(1, await app.QueryAsync(db => db.AuthSessions.CountAsync()));
    }

    [StoreFact]
    public async Task Disabling_a_user_ends_their_sessions_at_once()
    {
        await using var app = NewApp();
        var salesId = await AddSalesUserAsync(app);
        var sales = app.CreateCookieClient();
        await sales.SignInAsync(SalesEmail, SalesPassword);
        var before = await sales.GetAsync(ApiRoute);

        var disabled = await app.Services.GetRequiredService<UserAdmin>().SetDisabledAsync(await AdminAsync(app), salesId, true);
        var after = await sales.GetAsync(ApiRoute);

        Assert.True(disabled.Succeeded, disabled.Error);
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [StoreFact]
    public async Task An_admin_password_reset_ends_the_users_sessions_at_once()
    {
        await using var app = NewApp();
        var salesId = await AddSalesUserAsync(app);
        var sales = app.CreateCookieClient();
        await sales.SignInAsync(SalesEmail, SalesPassword);
        var before = await sales.GetAsync(ApiRoute);

        var reset = await app.Services.GetRequiredService<UserAdmin>().ResetPasswordAsync(await AdminAsync(app), salesId);
        var after = await sales.GetAsync(ApiRoute);

        Assert.True(reset.Succeeded, reset.Error);
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [StoreFact]
    public async Task Deleting_a_user_deletes_their_sessions()
    {
        await using var app = NewApp();
        var salesId = await AddSalesUserAsync(app);
        var sales = app.CreateCookieClient();
        await sales.SignInAsync(SalesEmail, SalesPassword);
        var before = await app.QueryAsync(db => db.AuthSessions.CountAsync(s => s.UserId == salesId));

        var deleted = await app.Services.GetRequiredService<UserAdmin>().DeleteAsync(await AdminAsync(app), salesId);
        var after = await sales.GetAsync(ApiRoute);

        Assert.True(deleted.Succeeded, deleted.Error);
        Assert.Equal(1, before);
        Assert.Equal(0, await app.QueryAsync(db => db.AuthSessions.CountAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [StoreFact]
    public async Task A_principal_read_from_a_session_stays_active_until_the_session_ends()
    {
        await using var app = NewApp();
        app.CreateClient();
        var store = app.Services.GetRequiredService<AuthSessionStore>();
        var adminId = await app.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync());
        var ticket = new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, adminId)], "test")),
            new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) },
            IdentityConstants.ApplicationScheme);

        var key = await store.StoreAsync(ticket);
        var principal = (await store.RetrieveAsync(key))!.Principal;
        var activeBefore = await store.IsActiveAsync(principal);
        await store.RemoveAsync(key);
        var activeAfter = await store.IsActiveAsync(principal);

        Assert.Equal(key, principal.FindFirstValue(AppClaims.SessionId));
        Assert.Equal(adminId, principal.UserId());
        Assert.True(activeBefore);
        Assert.False(activeAfter);
        Assert.Null(await store.RetrieveAsync(key));
    }

    private static async Task<string> AddSalesUserAsync(LeadPortalFactory app)
    {
        app.CreateClient();
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = SalesEmail, Email = SalesEmail, EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
        Assert.True((await users.CreateAsync(user, SalesPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Sales)).Succeeded);
        return user.Id;
    }

    private static async Task<ClaimsPrincipal> AdminAsync(LeadPortalFactory app)
    {
        var adminId = await app.QueryAsync(db => db.Users.Where(u => u.Email == LeadPortalFactory.AdminEmail).Select(u => u.Id).SingleAsync());
        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, adminId), new Claim(ClaimTypes.Name, LeadPortalFactory.AdminEmail)], "test"));
    }
}

[PostgresStore]
public sealed class SessionPostgresTests() : SessionTests(StoreProvider.Postgres);
