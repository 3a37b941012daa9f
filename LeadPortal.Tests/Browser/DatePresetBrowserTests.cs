using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DatePresetBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task The_Today_preset_filters_to_the_viewers_today_in_one_step_and_the_field_names_it()
    {
        using (var http = browser.App.CreateClient())
        {
            await http.PostLeadAsync(SampleLeads.Unique());
        }

        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync("/leads");
        await page.Locator("tr.lead-row").First.WaitForAsync();
        await SignInPage.WaitForCircuitAsync(page);

        await page.Locator(".inbox-filters .mud-picker input").First.ClickAsync();
        await page.Locator(".date-preset-today").ClickAsync();

        // The browser's zone (Europe/Stockholm in these tests) decides what today is, on the app's own clock.
        var now = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<TimeProvider>(browser.App.Services).GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm")).DateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.WaitForURLAsync(url => url.Contains($"from={today}", StringComparison.Ordinal) && url.Contains($"to={today}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator(".inbox-filters")).ToContainTextAsync("Received · Today");
        await Assertions.Expect(page.Locator("tr.lead-row").First).ToBeVisibleAsync();
    }
}
