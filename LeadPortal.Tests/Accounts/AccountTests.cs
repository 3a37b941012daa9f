using System.Net;
using LeadPortal.Accounts;
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

    /// <summary>A client whose requests come through the trusted local proxy from <paramref name="address"/>.</summary>
    private static HttpClient From(LeadPortalFactory app, string address)
    {
        var client = app.CreateCookieClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private const string Refused = "Too many sign-in attempts from this address; try again in 15 minutes.";

    [StoreFact]
    public async Task Failures_from_one_address_refuse_that_email_there_but_the_user_still_signs_in_from_their_own()
    {
        await using var app = new LeadPortalFactory(Provider, TempDatabase.NewPath()) { Time = new FixedTime(DateTimeOffset.UtcNow) };
        var attacker = From(app, "203.0.113.10");
        var user = From(app, "198.51.100.20");

        var failures = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            failures.Add(await attacker.SignInAsync(LeadPortalFactory.AdminEmail, "wrong password"));
        }

        var refused = await attacker.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        var signedIn = await user.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);

        Assert.All(failures, f => Assert.Equal(HttpStatusCode.OK, f.StatusCode));
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(15), refused.Headers.RetryAfter?.Delta);
        Assert.Contains(Refused, await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", Target(signedIn));
        Assert.Equal(0, await app.QueryAsync(db => db.Users.Where(u => u.Email == LeadPortalFactory.AdminEmail).Select(u => u.AccessFailedCount).SingleAsync()));
    }

    [StoreFact]
    public async Task An_email_without_an_account_is_refused_after_as_many_failures_and_in_the_same_words()
    {
        // A pinned clock: the two Retry-After headers are compared to the second.
        await using var app = new LeadPortalFactory(Provider, TempDatabase.NewPath()) { Time = new FixedTime(DateTimeOffset.UtcNow) };
        var known = From(app, "203.0.113.10");
        var unknown = From(app, "203.0.113.11");

        var answers = new List<(HttpResponseMessage Known, HttpResponseMessage Unknown)>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add((await known.SignInAsync(LeadPortalFactory.AdminEmail, "wrong password"), await unknown.SignInAsync("nobody@leadportal.test", "wrong password")));
        }

        foreach (var (k, u) in answers)
        {
            Assert.Equal(k.StatusCode, u.StatusCode);
            Assert.Equal(k.Headers.RetryAfter?.Delta, u.Headers.RetryAfter?.Delta);
            Assert.Equal(Alert(await k.Content.ReadAsStringAsync()), Alert(await u.Content.ReadAsStringAsync()));
        }

        Assert.Equal("The email or password is not right.", Alert(await answers[4].Known.Content.ReadAsStringAsync()));
        Assert.Equal(Refused, Alert(await answers[5].Known.Content.ReadAsStringAsync()));
    }

    [StoreFact]
    public async Task An_account_an_earlier_lockout_left_locked_answers_like_any_other()
    {
        await using var app = NewApp();
        await app.QueryAsync(db => db.Users.ExecuteUpdateAsync(s => s
            .SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddMinutes(15)).SetProperty(u => u.AccessFailedCount, 5)));
        var client = app.CreateCookieClient();

        var wrong = await client.SignInAsync(LeadPortalFactory.AdminEmail, "wrong password");
        var unknown = await client.SignInAsync("nobody@leadportal.test", "wrong password");
        var right = await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal("The email or password is not right.", Alert(await wrong.Content.ReadAsStringAsync()));
        Assert.Equal(Alert(await unknown.Content.ReadAsStringAsync()), Alert(await wrong.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
    }

    [StoreFact]
    public async Task Too_many_failures_from_one_address_refuse_every_email_from_it_until_the_window_has_passed()
    {
        var clock = new FixedTime(DateTimeOffset.UtcNow);
        await using var app = new LeadPortalFactory(Provider, TempDatabase.NewPath(), new Dictionary<string, string?>
        {
            ["SignIn:FailuresPerClient"] = "3",
            ["SignIn:Window"] = "00:10:00",
        }) { Time = clock };
        var attacker = From(app, "203.0.113.10");
        var other = From(app, "198.51.100.20");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await attacker.SignInAsync($"guess{i}@leadportal.test", "wrong password")).StatusCode);
        }

        clock.Now += TimeSpan.FromMinutes(4);
        var refused = await attacker.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        var elsewhere = await other.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        clock.Now += TimeSpan.FromMinutes(6);
        var later = await attacker.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(6), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("Too many sign-in attempts from this address; try again in 6 minutes.", Alert(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);
    }

    [StoreFact]
    public async Task Guesses_sent_all_at_once_are_counted_before_any_password_is_checked()
    {
        await using var app = NewApp();
        var attacker = From(app, "203.0.113.10");

        // One form, posted twelve times at once (a fresh form each would race for the antiforgery cookie).
        var token = await attacker.FormTokenAsync(AccountsSetup.LoginPath);
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => attacker.PostAsync(AccountsSetup.LoginPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = LeadPortalFactory.AdminEmail,
            ["Input.Password"] = "wrong password",
        }))));

        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, answers.Count(a => a.StatusCode == (HttpStatusCode)429));
    }

    /// <summary>The sign-in page's alert text ("" when it shows none).</summary>
    private static string Alert(string page) =>
        System.Text.RegularExpressions.Regex.Match(page, "<div class=\"account-alert\" role=\"alert\" id=\"login-error\">([^<]*)</div>") is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : "";

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
