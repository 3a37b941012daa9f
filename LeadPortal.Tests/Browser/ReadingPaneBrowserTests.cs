using System.Text.Json;
using LeadPortal.Accounts;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

/// <summary>Issue 26's reading pane (1280 px), the lead page's previous/next (390 px) and the repeat-person mark.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReadingPaneBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task A_sales_user_reads_a_filtered_view_in_the_pane_with_j_and_k_and_on_a_phone_steps_through_it_across_a_page()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var email = $"pane.{tag}@leadportal.test";
        await browser.CreateUserAsync(email, "Sales-Passw0rd!", Roles.Sales);
        var ids = new List<long>();
        using (var http = browser.App.CreateClient())
        {
            for (var i = 0; i < 12; i++)
            {
                // The two newest are one person (one address): the grid marks both.
                var address = i >= 10 ? $"same.{tag}@fabrikam.example" : $"p{i}.{tag}@fabrikam.example";
                var body = JsonSerializer.Serialize(new
                {
                    UserDetails = new { FirstName = $"P{i:00}", LastName = tag, Email = address, Country = "SE", Company = "Fabrikam AB" },
                    LeadSource = "AzureMarketplace-INS|fabrikam.leadportal-demo",
                    OfferTitle = "LeadPortal Demo Offer",
                    Description = $"Message {i}",
                });
                ids.Add(long.Parse((await (await http.PostLeadAsync(body)).ReadReceiptAsync()).Id, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        // Newest first: row n is lead 11 - n; pages of 10, so the view's 11th and 12th leads are on page 2.
        string Name(int row) => $"P{11 - row:00} {tag}";
        var view = $"/leads?ids={string.Join("%2C", ids.Order())}&size=10";
        var shots = Environment.GetEnvironmentVariable("LEADPORTAL_SCREENSHOTS") is { Length: > 0 } folder ? folder : null;

        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, email, "Sales-Passw0rd!");
        await page.GotoAsync(view);
        var rows = page.Locator("tr.lead-row");
        await Assertions.Expect(rows).ToHaveCountAsync(10);
        await SignInPage.WaitForCircuitAsync(page);
        await Assertions.Expect(rows.Nth(0).Locator(".repeat-mark")).ToHaveTextAsync("2nd lead · last today");
        await Assertions.Expect(rows.Nth(1).Locator(".repeat-mark")).ToHaveTextAsync("1st lead · last today");
        await Assertions.Expect(rows.Nth(2).Locator(".repeat-mark")).ToHaveCountAsync(0);

        // A row click opens the first lead in the pane; j and k move through the view, the row and the place follow.
        await rows.Nth(0).Locator("td.col-received").ClickAsync();
        await Assertions.Expect(page.Locator("#pane-title")).ToHaveTextAsync(Name(0));
        await Assertions.Expect(page.Locator("#pane-position")).ToHaveTextAsync("1 of 12");
        await Assertions.Expect(page.Locator("#pane-message")).ToHaveTextAsync("Message 11");
        for (var row = 1; row <= 4; row++)
        {
            await page.Keyboard.PressAsync("j");
            await Assertions.Expect(page.Locator("#pane-title")).ToHaveTextAsync(Name(row));
        }

        await Assertions.Expect(page.Locator("#pane-position")).ToHaveTextAsync("5 of 12");
        await Assertions.Expect(rows.Nth(4)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("pane-row"));
        await page.Keyboard.PressAsync("k");
        await Assertions.Expect(page.Locator("#pane-title")).ToHaveTextAsync(Name(3));
        await Assertions.Expect(page.Locator("#pane-message")).ToHaveTextAsync("Message 8");
        if (shots is not null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "h-pane-pane-1280.png") });
        }

        // Typing in a field never moves the pane.
        await page.Locator("#search").FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator("#pane-title")).ToHaveTextAsync(Name(3));
        // j on the page's last row turns the page; Esc closes the pane.
        await rows.Nth(9).Locator("td.col-received").ClickAsync();
        await Assertions.Expect(page.Locator("#pane-position")).ToHaveTextAsync("10 of 12");
        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(page.Locator("#pane-title")).ToHaveTextAsync(Name(10));
        await Assertions.Expect(page.Locator("#pane-position")).ToHaveTextAsync("11 of 12");
        Assert.Contains("page=2", page.Url, StringComparison.Ordinal);
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#reading-pane")).ToHaveCountAsync(0);

        // On a phone a lead opens on its page, whose previous/next follow the view across its page boundary.
        var phone = await browser.NewPageAsync(390, 844);
        await SignInPage.SignInAsync(phone, email, "Sales-Passw0rd!");
        await phone.GotoAsync(view);
        await Assertions.Expect(phone.Locator("tr.lead-row")).ToHaveCountAsync(10);
        await SignInPage.WaitForCircuitAsync(phone);
        await phone.Locator("tr.lead-row").Nth(9).Locator("a.lead-name").ClickAsync();
        await Assertions.Expect(phone.Locator("#lead-title")).ToHaveTextAsync(Name(9));
        await Assertions.Expect(phone.Locator("#lead-position")).ToHaveTextAsync("10 of 12");
        await phone.Locator("#lead-next").ClickAsync();
        await Assertions.Expect(phone.Locator("#lead-title")).ToHaveTextAsync(Name(10));
        await Assertions.Expect(phone.Locator("#lead-position")).ToHaveTextAsync("11 of 12");
        await Assertions.Expect(phone.Locator("#back-to-inbox")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("page=2"));
        if (shots is not null)
        {
            await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "h-pane-lead-390.png") });
        }

        await phone.Locator("#lead-previous").ClickAsync();
        await Assertions.Expect(phone.Locator("#lead-title")).ToHaveTextAsync(Name(9));
        await Assertions.Expect(phone.Locator("#lead-position")).ToHaveTextAsync("10 of 12");
        await phone.Locator("#back-to-inbox").ClickAsync();
        await Assertions.Expect(phone.Locator("tr.lead-row")).ToHaveCountAsync(10);
        Assert.DoesNotContain("page=", phone.Url, StringComparison.Ordinal);
    }
}
