using LeadPortal.Data;
using System.Net;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Accounts;

/// <summary>On SQLite; <see cref="SignOutPostgresTests"/> runs the same on PostgreSQL.</summary>
public class SignOutTests : StoreAppTests
{
    public SignOutTests() : base(StoreProvider.Sqlite)
    {
    }

    protected SignOutTests(StoreProvider provider) : base(provider)
    {
    }

    private static string Target(HttpResponseMessage response) =>
        new Uri(new Uri("http://localhost"), response.Headers.Location!).PathAndQuery;

    [StoreFact]
    public async Task The_layouts_sign_out_form_signs_out()
    {
        await using var app = NewApp();
        var client = app.CreateCookieClient();
        await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);

        var signedOut = await client.SignOutAsync();
        var dashboard = await client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("/account/login", Target(signedOut));
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.StartsWith("/account/login", Target(dashboard));
    }

    [StoreTheory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    public async Task A_sign_out_without_a_valid_antiforgery_token_is_a_400_and_signs_nobody_out(string? token)
    {
        await using var app = NewApp();
        var client = app.CreateCookieClient();
        await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        var form = token is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["__RequestVerificationToken"] = token };

        var refused = await client.PostAsync("/account/logout", new FormUrlEncodedContent(form));
        var dashboard = await client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Sign-out form expired", await refused.Content.ReadAsStringAsync());
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("LeadPortal.Auth=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }
}

[PostgresStore]
public sealed class SignOutPostgresTests() : SignOutTests(StoreProvider.Postgres);
