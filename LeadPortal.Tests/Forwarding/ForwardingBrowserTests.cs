using System.Text.Json;
using LeadPortal.Tests.Browser;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Forwarding;

[Collection(BrowserCollection.Name)]
public sealed class ForwardingBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task An_admin_adds_a_destination_and_a_test_delivery_reaches_the_receiver_signed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var page = await browser.NewPageAsync();
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync("/admin/forwarding");
        await SignInPage.WaitForCircuitAsync(page);

        var name = $"Flow {Guid.NewGuid():N}"[..13];
        await page.Locator("#add-destination").ClickAsync();
        await page.Locator(".mud-dialog .destination-name input").FillAsync(name);
        await page.Locator(".mud-dialog .destination-url input").FillAsync("hooks.example/no-scheme");
        // Only leads of an offer no other test posts: the test delivery is what this receiver gets.
        await page.Locator(".mud-dialog .destination-offers textarea").FillAsync("fabrikam.browser-only");
        await page.Locator("#save-destination").ClickAsync();
        await Assertions.Expect(page.Locator("#destination-errors")).ToContainTextAsync("is not an absolute http:// or https:// URL");

        await page.Locator(".mud-dialog .destination-url input").FillAsync(receiver.Url);
        await page.Locator("#save-destination").ClickAsync();
        await Assertions.Expect(page.Locator("#new-secret")).ToContainTextAsync(name);
        var secret = (await page.Locator("#new-secret-value").TextContentAsync())!.Trim();
        await Assertions.Expect(page.Locator("#destination-table")).ToContainTextAsync(name);

        await page.Locator("a.destination-link", new PageLocatorOptions { HasText = name }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/admin/forwarding/", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#destination-title")).ToHaveTextAsync(name);
        await page.Locator("#send-test-delivery").ClickAsync();

        await Assertions.Expect(page.Locator("#test-delivery-outcome")).ToContainTextAsync("Delivered: the destination answered 200");
        await Assertions.Expect(page.Locator("tr.forward-delivery-row")).ToContainTextAsync("Test delivery");
        var got = Assert.Single(receiver.Requests);
        Assert.True(got.HasValidSignature(secret, out var problem), problem);
        Assert.StartsWith("MSFT_TEST_", JsonDocument.Parse(got.Body).RootElement.GetProperty("UserDetails").GetProperty("FirstName").GetString());

        // The attempt log under the delivery.
        await page.Locator("tr.forward-delivery-row .mud-table-cell button").First.ClickAsync();
        await Assertions.Expect(page.Locator(".attempt-row")).ToContainTextAsync("200");

        if (Environment.GetEnvironmentVariable("LEADPORTAL_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "forwarding-detail-1400.png"), FullPage = true });
        }

        // On a phone (390 px) both pages fit the screen: nothing wider than the viewport.
        var phone = await browser.NewPageAsync(390, 844);
        await SignInPage.SignInAsync(phone, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        foreach (var path in new[] { "/admin/forwarding", page.Url })
        {
            await phone.GotoAsync(path);
            await SignInPage.WaitForCircuitAsync(phone);
            await Assertions.Expect(phone.Locator(path == "/admin/forwarding" ? "#destination-table" : "tr.forward-delivery-row").First).ToContainTextAsync(path == "/admin/forwarding" ? name : "Test delivery");
            Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"{path} is wider than 390 px");
            if (Environment.GetEnvironmentVariable("LEADPORTAL_SCREENSHOTS") is { Length: > 0 } shots)
            {
                await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, $"forwarding-{(path == "/admin/forwarding" ? "list" : "detail")}-390.png"), FullPage = true });
            }
        }

        if (Environment.GetEnvironmentVariable("LEADPORTAL_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await page.GotoAsync("/admin/forwarding");
            await SignInPage.WaitForCircuitAsync(page);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, "forwarding-list-1400.png"), FullPage = true });
            await page.Locator("#add-destination").ClickAsync();
            await page.WaitForTimeoutAsync(500);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, "forwarding-dialog-1400.png") });
        }
    }
}
