using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ResponseClockBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task A_posted_contact_me_lead_is_due_in_24_hours_in_the_grid_and_on_its_page_and_a_day_later_the_overdue_filter_finds_it()
    {
        foreach (var width in new[] { 1280, 390 })
        {
            var tag = Guid.NewGuid().ToString("N")[..8];
            var page = await browser.NewPageAsync(width, width < 600 ? 800 : 900);
            try
            {
                await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
                using (var http = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) })
                {
                    var body = SampleLeads.Unique().Replace("AzureMarketplace-INS", "AzureMarketplace-PLT", StringComparison.Ordinal)
                        .Replace("\"ActionCode\": \"INS\"", "\"ActionCode\": \"PLT\"", StringComparison.Ordinal)
                        .Replace("Fabrikam AB", $"Fabrikam {tag}", StringComparison.Ordinal);
                    Assert.Equal(System.Net.HttpStatusCode.Created, (await http.PostAsync($"/api/leads?key={LeadPortalFactory.IntakeKey}", new StringContent(body))).StatusCode);
                }

                // The clock is set just after the lead is stored, by the dispatcher: searching reloads the grid until it shows.
                var row = page.Locator("#lead-grid tbody tr", new PageLocatorOptions { HasText = $"Fabrikam {tag}" });
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (true)
                {
                    await page.GotoAsync($"/?q={tag}");
                    await row.WaitForAsync();
                    if ((await row.InnerTextAsync()).Contains("due in 24 h", StringComparison.Ordinal))
                    {
                        break;
                    }

                    Assert.True(DateTime.UtcNow < deadline, "The lead did not show \"due in 24 h\" within 30 s.");
                }

                await Assertions.Expect(row.Locator(".response-due:visible")).ToContainTextAsync("due in 24 h");
                await Assertions.Expect(row.Locator(".partner-center-expiry:visible")).ToContainTextAsync("expires in 13 d");

                await row.Locator("a.lead-name").ClickAsync();
                await Assertions.Expect(page.Locator("#response-due")).ToContainTextAsync("due in 24 h");
                await Assertions.Expect(page.Locator("#partner-center-expiry")).ToContainTextAsync("expires in 13 d");
                await Assertions.Expect(page.Locator("#mark-responded")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#partner-center-note")).ToContainTextAsync("cannot read Partner Center's status back");
                await SignInPage.WaitForCircuitAsync(page);
                await page.GetByLabel("Accepted in Partner Center").CheckAsync();
                await Assertions.Expect(page.Locator("#accepted-by")).ToContainTextAsync("Ticked by Administrator");

                // A day and an hour later (the sign-in has expired by then: sign in again).
                browser.Clock.Offset = TimeSpan.FromHours(25);
                await page.Context.ClearCookiesAsync();
                await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
                await page.GotoAsync($"/?q={tag}");
                await SignInPage.WaitForCircuitAsync(page);
                // The first page of the search must be in before the filter changes the view (on CI a click made while
                // it loaded never reached the URL).
                await Assertions.Expect(page.Locator("#lead-total")).ToHaveTextAsync("1 lead");
                if (width < 600)
                {
                    await page.Locator("#toggle-filters").ClickAsync();
                }

                var overdue = page.Locator("#filter-overdue");
                await overdue.ClickAsync();
                await Assertions.Expect(overdue).ToHaveAttributeAsync("aria-pressed", "true");
                await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("clock=overdue"));
                await Assertions.Expect(row.Locator(".response-due:visible")).ToContainTextAsync("overdue 1 h");
                await Assertions.Expect(page.Locator("#lead-total")).ToHaveTextAsync("1 lead");
            }
            finally
            {
                browser.Clock.Offset = TimeSpan.Zero;
                // The inbox opens where a user left it: leave the whole inbox there for the tests that follow.
                await page.Context.ClearCookiesAsync();
                await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
                await page.GotoAsync("/leads");
                await page.Locator("#lead-total").WaitForAsync();
                await page.Context.CloseAsync();
            }
        }
    }
}
