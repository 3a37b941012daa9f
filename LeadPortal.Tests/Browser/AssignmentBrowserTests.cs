using LeadPortal.Accounts;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AssignmentBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task An_admin_makes_a_rule_on_a_desktop_and_a_phone_and_a_contact_me_lead_then_shows_its_owner_in_the_grid()
    {
        foreach (var width in new[] { 1280, 390 })
        {
            var tag = Guid.NewGuid().ToString("N")[..8];
            var owner = $"rob{tag}";
            await browser.CreateUserAsync($"{owner}@leadportal.test", "Sales-Passw0rd!", Roles.Sales);
            var page = await browser.NewPageAsync(width, width < 600 ? 800 : 900);
            await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
            await page.GotoAsync("/admin/assignment");
            await page.Locator("#assignment-preview").WaitForAsync();
            await SignInPage.WaitForCircuitAsync(page);

            // A rule for this test's own offer only, so the other browser tests' leads stay unassigned.
            await page.Locator("#add-rule").ClickAsync();
            await page.Locator(".rule-name input").FillAsync($"Robin's offer {tag}");
            await page.Locator(".rule-offers input").FillAsync($"fabrikam.offer-{tag}");
            await page.Locator(".rule-actions").ClickAsync();
            await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "Contact me (PLT)" }).ClickAsync();
            await page.Keyboard.PressAsync("Escape");
            await page.Locator("#rule-form").GetByText("One user", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
            await page.Locator(".rule-user").ClickAsync();
            await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = $"{owner} · {owner}@leadportal.test" }).ClickAsync();
            await page.Locator("#save-rule").ClickAsync();
            await Assertions.Expect(page.Locator("#rule-table")).ToContainTextAsync($"Robin's offer {tag}");
            await Assertions.Expect(page.Locator("#rule-table")).ToContainTextAsync($"Contact me · offer fabrikam.offer-{tag}");

            using (var http = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) })
            {
                var body = SampleLeads.Unique().Replace("AzureMarketplace-INS|fabrikam.leadportal-demo", $"AzureMarketplace-PLT|fabrikam.offer-{tag}", StringComparison.Ordinal)
                    .Replace("\"ActionCode\": \"INS\"", "\"ActionCode\": \"PLT\"", StringComparison.Ordinal)
                    .Replace("Fabrikam AB", $"Fabrikam {tag}", StringComparison.Ordinal);
                Assert.Equal(System.Net.HttpStatusCode.Created, (await http.PostAsync($"/api/leads?key={LeadPortalFactory.IntakeKey}", new StringContent(body))).StatusCode);
            }

            // Routed after the answer, by the dispatcher: the grid shows the owner once it has (searching reloads it).
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                await page.GotoAsync($"/?q={tag}");
                var row = page.Locator("#lead-grid tbody tr", new PageLocatorOptions { HasText = $"Fabrikam {tag}" });
                await row.WaitForAsync();
                if ((await row.TextContentAsync())!.Contains(owner, StringComparison.Ordinal))
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"The lead was not shown with its owner {owner} within 30 s.");
            }

            await Assertions.Expect(page.Locator("#lead-grid")).ToContainTextAsync($"Fabrikam {tag}");
            await page.Context.CloseAsync();
        }
    }
}
