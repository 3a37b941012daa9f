using System.Text.Json;
using LeadPortal.Shared;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class QualityBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    private static string Body(string first, string last, string email, string? company) => JsonSerializer.Serialize(new
    {
        UserDetails = new { FirstName = first, LastName = last, Email = email, Phone = "+46 70 123 45 67", Country = "SE", Company = company },
        LeadSource = "AzureMarketplace-INS|fabrikam.leadportal-demo",
        OfferTitle = "LeadPortal Demo Offer",
    });

    [BrowserFact]
    public async Task The_quality_filter_narrows_the_inbox_in_the_url_and_the_lead_page_says_why_a_lead_is_low()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        using (var http = browser.App.CreateClient())
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, (await http.PostLeadAsync(Body("Qwerty", $"Spam{tag}", $"x{tag}@mailinator.com", null))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Created, (await http.PostLeadAsync(Body("Maja", $"Good{tag}", $"maja.{tag}@fabrikam.example", "Fabrikam AB"))).StatusCode);
        }

        // Rated by the outbox dispatcher seconds after the receipts.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await browser.App.QueryAsync(db => db.Leads.CountAsync(l => l.LastName!.EndsWith(tag) && l.Quality == QualityRating.Unrated)) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The two leads were not rated within 30 s.");
            await Task.Delay(50);
        }

        // A user of its own: the inbox remembers a user's last view, which the other browser tests' admin must not inherit.
        var email = $"quality.{tag}@leadportal.test";
        await browser.CreateUserAsync(email, "Sales-Passw0rd!", LeadPortal.Accounts.Roles.Sales);
        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, email, "Sales-Passw0rd!");
        await page.GotoAsync($"/leads?q={tag}");
        await SignInPage.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("tr.lead-row")).ToHaveCountAsync(2);

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "More filters" }).ClickAsync();
        await page.Locator(".filter-quality").ClickAsync();
        await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "Low", Exact = true }).ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("quality=low", StringComparison.Ordinal));
        var row = page.Locator("tr.lead-row");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync($"Spam{tag}");
        await Assertions.Expect(row.Locator(".quality-chip")).ToHaveTextAsync("Low");
        await Assertions.Expect(row.Locator(".quality-chip")).ToBeInViewportAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("tr.lead-row")).ToHaveCountAsync(1);

        await page.Locator("tr.lead-row a.lead-name").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/leads/", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#quality-rating")).ToHaveTextAsync("Low quality");
        var reasons = page.Locator("#quality-reasons li");
        await Assertions.Expect(reasons).ToHaveCountAsync(3);
        await Assertions.Expect(reasons.Nth(0)).ToContainTextAsync("Throwaway mail domain");
        await Assertions.Expect(reasons.Nth(1)).ToContainTextAsync("Name is a keyboard pattern");
        await Assertions.Expect(reasons.Nth(2)).ToContainTextAsync("No company given");
    }
}
