using System.Net;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace LeadPortal.Tests.Accounts;

/// <summary>A Blazor circuit runs as the cookie's user, so only the app's own pages (or a configured public origin) may open one.</summary>
public sealed class CircuitOriginTests : IAsyncLifetime
{
    private readonly LeadPortalFactory _app = new(TempDatabase.NewPath(), new Dictionary<string, string?>
    {
        ["Hosting:PublicOrigins"] = "https://leads.contoso.example",
    });

    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _app.CreateCookieClient();
        await _client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<HttpStatusCode> NegotiateAsync(string? origin, string? fetchSite = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return (await _client.SendAsync(request)).StatusCode;
    }

    [Theory]
    [InlineData("http://localhost:8081")]          // another port on the same host: same-site, so the Lax cookie comes along
    [InlineData("http://evil.localhost")]           // a sibling subdomain
    [InlineData("https://localhost")]               // another scheme
    [InlineData("null")]                            // a sandboxed frame or a file:// page
    [InlineData("http://localhost.evil.example")]
    public async Task A_page_of_another_origin_cannot_open_a_circuit(string origin)
    {
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(origin));
        // The operator is told what was expected (a proxy that rewrites the host looks like this too).
        Assert.Contains(_app.Logs.Lines, line => line.Contains($"origin {origin}", StringComparison.Ordinal) && line.Contains("Hosting:PublicOrigins", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_same_site_request_without_an_origin_is_refused_by_its_fetch_metadata()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(null, "same-site"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(null, "cross-site"));
    }

    [Theory]
    [InlineData("http://localhost", null)]
    [InlineData("HTTP://LOCALHOST", "same-origin")]
    [InlineData("https://leads.contoso.example", "same-origin")]   // the configured public origin behind a proxy
    [InlineData(null, "same-origin")]
    [InlineData(null, null)]
    public async Task The_apps_own_pages_open_a_circuit(string? origin, string? fetchSite)
    {
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(origin, fetchSite));
    }

    [Fact]
    public void A_public_origin_with_a_path_stops_the_start_with_a_message()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Hosting:PublicOrigins"] = "https://leads.contoso.example/app" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => { LeadPortal.Infrastructure.CircuitOriginCheck.Read(config); });
        Assert.Contains("Hosting:PublicOrigins holds 'https://leads.contoso.example/app'", error.Message);
    }
}
