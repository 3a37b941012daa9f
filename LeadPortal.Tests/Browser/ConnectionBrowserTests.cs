using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

/// <summary>What a dropped connection looks like: a banner at once, the page inert behind it, gone when the network is back.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConnectionBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task Going_offline_shows_the_banner_within_two_seconds_holds_the_page_and_coming_back_clears_it()
    {
        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync("/leads");
        await page.Locator("#lead-grid").WaitForAsync();
        await SignInPage.WaitForCircuitAsync(page);
        var banner = page.Locator("#components-reconnect-modal");
        await Assertions.Expect(banner).ToBeHiddenAsync();

        await page.Context.SetOfflineAsync(true);
        await Assertions.Expect(banner).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 2_000 });
        await Assertions.Expect(banner).ToContainTextAsync("Connection lost — reconnecting.");
        await Assertions.Expect(banner).ToContainTextAsync("Your changes are kept");
        // Modal: the inbox behind it takes no clicks or keys while the circuit may be gone.
        Assert.True(await banner.EvaluateAsync<bool>("b => b.matches(':modal')"));

        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(banner).ToBeHiddenAsync(new LocatorAssertionsToBeHiddenOptions { Timeout = 10_000 });

        // The circuit works again: the search filter still reaches the server and the URL.
        var tag = Guid.NewGuid().ToString("N")[..8];
        await page.Locator("#search").FillAsync(tag);
        await page.WaitForURLAsync(url => url.Contains($"q={tag}", StringComparison.Ordinal));
    }
}
