using System.Globalization;
using LeadPortal.Accounts;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class TimeZoneBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public Task A_user_whose_browser_is_in_New_York_chooses_Tokyo_and_the_inbox_and_lead_page_show_Tokyo_times() => ChooseTokyoAsync(1280, 900);

    [BrowserFact]
    public Task On_a_phone_a_user_whose_browser_is_in_New_York_chooses_Tokyo_and_the_lead_page_shows_Tokyo_times() => ChooseTokyoAsync(390, 844);

    private async Task ChooseTokyoAsync(int width, int height)
    {
        var email = $"zone.{Guid.NewGuid():N}"[..20] + "@leadportal.test";
        await browser.CreateUserAsync(email, "Zone-Passw0rd!", Roles.Sales);
        using var http = browser.App.CreateClient();
        var id = long.Parse((await (await http.PostLeadAsync(SampleLeads.Unique())).ReadReceiptAsync()).Id);
        // 08:30 UTC on 5 January of the app clock's last year: in January (no daylight saving in either place) that is
        // 03:30 in New York and 17:30 in Tokyo, whatever day the test runs, and always a day before any other test's lead.
        var date = new DateOnly(browser.App.Services.GetRequiredService<TimeProvider>().GetUtcNow().Year - 1, 1, 5);
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using (var db = await browser.App.CreateDbContextAsync())
        {
            var received = date.ToDateTime(new TimeOnly(8, 30), DateTimeKind.Utc);
            await db.Leads.Where(l => l.Id == id).ExecuteUpdateAsync(s => s.SetProperty(l => l.ReceivedAt, received));
        }

        var page = await browser.NewPageAsync(width, height, timezoneId: "America/New_York");
        await SignInPage.SignInAsync(page, email, "Zone-Passw0rd!");
        await page.Locator("#lead-grid").WaitForAsync();
        await SignInPage.WaitForCircuitAsync(page);

        // Before choosing, the browser's zone.
        await page.GotoAsync($"/leads/{id}");
        await SignInPage.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("#lead-received")).ToContainTextAsync($"{day} 03:30:00");

        await page.Locator(".user-menu").ClickAsync();
        await page.Locator("#menu-time-zone").ClickAsync();
        await Assertions.Expect(page.Locator("#zone-source")).ToContainTextAsync("Use my browser's time zone (currently (UTC");
        await Assertions.Expect(page.Locator("#zone-source")).ToContainTextAsync("America/New_York");
        await page.GetByText("Always use this time zone").ClickAsync();
        await Assertions.Expect(page.Locator("#zone-picker .mud-disabled")).ToHaveCountAsync(0);
        var field = page.Locator("#zone-picker input");
        await field.ClickAsync();
        await field.FillAsync("tokyo");
        await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "(UTC+09:00) Asia/Tokyo" }).ClickAsync();
        await Assertions.Expect(field).ToHaveValueAsync("(UTC+09:00) Asia/Tokyo");
        await page.Locator("#save-time-zone").ClickAsync();
        await Assertions.Expect(page.Locator("#time-zone-now")).ToContainTextAsync("Times are shown in (UTC+09:00) Asia/Tokyo.");

        // In the same circuit at once (in-app navigation; the mark on the window shows no page was loaded): the inbox,
        // its row's full time, and the lead page.
        await page.EvaluateAsync("() => window.sameCircuit = true");
        if (width >= 1280)
        {
            // That day in Tokyo holds this test's lead only (the app is shared; other tests' leads are of today).
            await page.EvaluateAsync("url => Blazor.navigateTo(url)", $"/?from={day}&to={day}");
            await Assertions.Expect(page.Locator("#lead-grid tr.lead-row [title$='Asia/Tokyo']").First).ToHaveAttributeAsync("title", $"{day} 17:30:00 Asia/Tokyo");
        }

        await page.EvaluateAsync("url => Blazor.navigateTo(url)", $"/leads/{id}");
        await Assertions.Expect(page.Locator("#lead-received")).ToContainTextAsync($"{day} 17:30:00");
        await Assertions.Expect(page.Locator("#lead-received")).ToContainTextAsync("Asia/Tokyo");
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameCircuit === true"));

        // Another tab, a new circuit: the stored choice, not the browser's zone.
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync($"/leads/{id}");
        await SignInPage.WaitForCircuitAsync(other);
        await Assertions.Expect(other.Locator("#lead-received")).ToContainTextAsync($"{day} 17:30:00");
    }
}
