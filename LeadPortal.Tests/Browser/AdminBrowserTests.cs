using System.Net;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AdminBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    private async Task<IPage> SignedInAdminAsync()
    {
        var page = await browser.NewPageAsync();
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        return page;
    }

    [BrowserFact]
    public async Task An_admin_creates_a_sales_user_who_signs_in_and_cannot_see_admin_pages()
    {
        var admin = await SignedInAdminAsync();
        await admin.GotoAsync("/admin/users");
        await SignInPage.WaitForCircuitAsync(admin);
        var email = $"sales.{Guid.NewGuid():N}"[..20] + "@leadportal.test";
        await admin.Locator(".new-user-email input").FillAsync(email);
        await admin.Locator(".new-user-name input").FillAsync("Sam Sales");
        await admin.Locator("#create-user").ClickAsync();
        var password = (await admin.Locator("#temporary-password-value").TextContentAsync())!.Trim();
        await Assertions.Expect(admin.Locator("#user-table")).ToContainTextAsync(email);

        var sales = await browser.NewPageAsync();
        await SignInPage.SignInAsync(sales, email, password);
        await sales.WaitForURLAsync(url => url.Contains("/account/change-password", StringComparison.Ordinal));
        await sales.FillAsync("#current-password", password);
        await sales.FillAsync("#new-password", "Sam-Own-Passw0rd");
        await sales.FillAsync("#confirm-password", "Sam-Own-Passw0rd");
        await sales.ClickAsync("#change-password");
        await sales.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
        await sales.Locator("#lead-grid").WaitForAsync();
        await Assertions.Expect(sales.GetByText("Delivery log")).ToHaveCountAsync(0);

        await sales.GotoAsync("/admin/users");
        await Assertions.Expect(sales.Locator("#access-denied")).ToBeVisibleAsync();
        await Assertions.Expect(sales.Locator("#user-table")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task Two_keys_are_accepted_during_a_rotation_and_the_revoked_one_then_gets_401()
    {
        var admin = await SignedInAdminAsync();
        await admin.GotoAsync("/admin/endpoint");
        await SignInPage.WaitForCircuitAsync(admin);

        async Task<string> CreateKeyAsync(string name)
        {
            await admin.Locator(".new-key-name input").FillAsync(name);
            await admin.Locator("#create-key").ClickAsync();
            await Assertions.Expect(admin.Locator("#new-key-url")).ToContainTextAsync(name);
            return (await admin.Locator("#new-key-url-value").TextContentAsync())!.Trim();
        }

        var tag = Guid.NewGuid().ToString("N")[..6];
        var oldUrl = await CreateKeyAsync($"Old {tag}");
        var newUrl = await CreateKeyAsync($"New {tag}");
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync(oldUrl, new StringContent(SampleLeads.Unique()))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync(newUrl, new StringContent(SampleLeads.Unique()))).StatusCode);

        await admin.Locator("tr", new PageLocatorOptions { HasText = $"Old {tag}" }).Locator(".revoke-key").ClickAsync();
        await admin.Locator(".mud-dialog").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Revoke", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.Locator("tr", new PageLocatorOptions { HasText = $"Old {tag}" })).ToContainTextAsync("Revoked");

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync(oldUrl, new StringContent(SampleLeads.Unique()))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync(newUrl, new StringContent(SampleLeads.Unique()))).StatusCode);
    }

    [BrowserFact]
    public async Task Send_test_lead_shows_up_in_the_delivery_log_and_the_inbox_test_view()
    {
        var admin = await SignedInAdminAsync();
        await admin.GotoAsync("/admin/endpoint");
        await SignInPage.WaitForCircuitAsync(admin);

        await admin.Locator("#send-test-lead").ClickAsync();
        await Assertions.Expect(admin.Locator("#test-lead-outcome")).ToContainTextAsync("answered 201");
        var leadText = await admin.Locator("#test-lead-outcome").TextContentAsync();
        var leadId = System.Text.RegularExpressions.Regex.Match(leadText!, @"test lead (\d+)").Groups[1].Value;
        await Assertions.Expect(admin.Locator("#last-test-lead")).Not.ToHaveTextAsync("never");

        await admin.GotoAsync("/admin/delivery-log?outcome=Created");
        await Assertions.Expect(admin.Locator("tr.delivery-row", new PageLocatorOptions { HasText = $"Lead {leadId}" })).ToContainTextAsync("Send test lead (internal)");

        await admin.GotoAsync("/?test=true");
        await Assertions.Expect(admin.Locator("tr.lead-row", new PageLocatorOptions { HasText = "MSFT_TEST" }).First).ToBeVisibleAsync();
        await admin.GotoAsync("/");
        await admin.Locator("#lead-grid").WaitForAsync();
        await Assertions.Expect(admin.Locator("tr.lead-row", new PageLocatorOptions { HasText = "MSFT_TEST" })).ToHaveCountAsync(0);
    }
}
