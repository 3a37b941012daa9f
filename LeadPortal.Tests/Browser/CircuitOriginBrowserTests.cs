using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

/// <summary>
/// A page on another port of the same host is same-site, so a signed-in admin's Lax cookie goes with its requests to
/// LeadPortal. It must not be able to open a circuit (which would run as the admin).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CircuitOriginBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task A_page_on_another_port_opened_by_a_signed_in_admin_cannot_open_a_circuit()
    {
        var page = await browser.NewPageAsync();
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await SignInPage.WaitForCircuitAsync(page);

        var app = new Uri(browser.BaseUrl);
        await using var other = await OtherPortPage.StartAsync($"ws://{app.Authority}/_blazor");
        await page.GotoAsync(other.Url);

        // A WebSocket has no CORS: without the origin check the upgrade succeeds and the page holds a circuit
        // connection carrying the admin's cookie.
        await Assertions.Expect(page.Locator("#websocket")).Not.ToHaveTextAsync("trying");
        Assert.Equal("refused", await page.Locator("#websocket").TextContentAsync());

        // The app's own page still opens its circuit in the same browser.
        await page.GotoAsync($"{browser.BaseUrl}/leads");
        await SignInPage.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("#lead-grid")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#components-reconnect-modal")).Not.ToBeVisibleAsync();
    }

    /// <summary>A second web server on loopback serving one page that tries to reach the app's circuit endpoint.</summary>
    private sealed class OtherPortPage : IAsyncDisposable
    {
        private readonly WebApplication _server;

        private OtherPortPage(WebApplication server, string url)
        {
            _server = server;
            Url = url;
        }

        public string Url { get; }

        public static async Task<OtherPortPage> StartAsync(string webSocketUrl)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var server = builder.Build();
            var html = $$"""
                <!doctype html><html><body>
                <p>WebSocket: <span id="websocket">trying</span></p>
                <script>
                  const socket = new WebSocket("{{webSocketUrl}}");
                  socket.onopen = () => { document.getElementById("websocket").textContent = "opened"; socket.close(); };
                  socket.onerror = () => { if (document.getElementById("websocket").textContent === "trying") document.getElementById("websocket").textContent = "refused"; };
                </script></body></html>
                """;
            server.MapGet("/", () => Results.Content(html, "text/html"));
            await server.StartAsync();
            return new OtherPortPage(server, server.Urls.First() + "/");
        }

        public async ValueTask DisposeAsync() => await _server.DisposeAsync();
    }
}
