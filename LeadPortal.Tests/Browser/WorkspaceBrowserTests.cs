using LeadPortal.Accounts;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class WorkspaceBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task An_admin_sees_a_posted_lead_arrive_filters_to_it_works_it_and_signs_out()
    {
        var page = await browser.NewPageAsync();
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync("/");
        await page.Locator("#lead-grid").WaitForAsync();
        await SignInPage.WaitForCircuitAsync(page);

        // Partner Center posts while the inbox is open.
        var unique = Guid.NewGuid().ToString("N")[..8];
        var body = SampleLeads.Read("appsource-contact-me")
            .Replace("Tomás", $"Tomás{unique}", StringComparison.Ordinal)
            .Replace("tomas@northwind.example", $"tomas.{unique}@northwind.example", StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        var response = await http.PostAsync($"/api/leads?key={LeadPortalFactory.IntakeKey}", new StringContent(body));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);

        var row = page.Locator("tr.lead-row", new PageLocatorOptions { HasText = $"Tomás{unique}" });
        await Assertions.Expect(row).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });

        // Filter to it: the free-text filter goes into the URL.
        await page.Locator("#search").FillAsync(unique);
        await page.WaitForURLAsync(url => url.Contains($"q={unique}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("tr.lead-row")).ToHaveCountAsync(1);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("tr.lead-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#search")).ToHaveValueAsync(unique);

        // Open it, change the status, add a note.
        await page.Locator("tr.lead-row a.lead-name").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/leads/", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#lead-title")).ToContainTextAsync($"Tomás{unique}");
        await page.WaitForTimeoutAsync(500);
        await page.Locator("#status-field").ClickAsync();
        await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "Contacted" }).ClickAsync();
        await Assertions.Expect(page.Locator("#activity")).ToContainTextAsync("changed the status from New to Contacted");
        await page.Locator(".note-field textarea").FillAsync("Called Tomás, demo booked.");
        await page.Locator("#add-note").ClickAsync();
        await Assertions.Expect(page.Locator("#activity")).ToContainTextAsync("Called Tomás, demo booked.");
        await Assertions.Expect(page.Locator("#lead-status-chip")).ToHaveTextAsync("Contacted");

        // Sign out: the inbox is then behind the sign-in page again.
        await page.Locator(".user-menu button").First.ClickAsync();
        await page.Locator("#sign-out").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.GotoAsync("/");
        Assert.Contains("/account/login", page.Url);
    }

    [BrowserFact]
    public async Task A_sales_user_is_refused_the_admin_pages()
    {
        await browser.CreateUserAsync("sales.refused@leadportal.test", "Sales-Passw0rd!", Roles.Sales);
        var page = await browser.NewPageAsync(390, 844);

        await SignInPage.SignInAsync(page, "sales.refused@leadportal.test", "Sales-Passw0rd!");
        await page.GotoAsync("/");
        await page.Locator("#lead-grid").WaitForAsync();
        await Assertions.Expect(page.GetByText("Endpoint")).ToHaveCountAsync(0);
        await page.GotoAsync("/admin/endpoint");

        await Assertions.Expect(page.Locator("#access-denied")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#endpoint-title")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task A_wrong_password_gets_a_readable_error()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", LeadPortalFactory.AdminEmail);
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("#sign-in");

        await Assertions.Expect(page.Locator("#login-error")).ToHaveTextAsync("The email or password is not right.");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserApp>
{
    public const string Name = "Browser";
}

/// <summary>
/// The accessibility sweep (every page at two widths, about 100 s) on an app and a browser of its own, so that it runs
/// beside the other browser tests instead of after them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AccessibilityBrowserCollection : ICollectionFixture<BrowserApp>
{
    public const string Name = "Browser (accessibility)";
}
