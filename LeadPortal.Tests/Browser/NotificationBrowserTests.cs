using LeadPortal.Accounts;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class NotificationBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task A_sales_user_chooses_every_lead_and_a_digest_and_then_gets_mail_for_an_ordinary_lead()
    {
        var email = $"notify.{Guid.NewGuid():N}"[..20] + "@leadportal.test";
        await browser.CreateUserAsync(email, "Notify-Passw0rd!", Roles.Sales);
        var page = await browser.NewPageAsync();
        await SignInPage.SignInAsync(page, email, "Notify-Passw0rd!");
        await page.Locator("#lead-grid").WaitForAsync();
        await SignInPage.WaitForCircuitAsync(page);

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Notifications" }).ClickAsync();
        await page.Locator("#save-notifications").WaitForAsync();
        await SignInPage.WaitForCircuitAsync(page);
        await page.GetByText("Every new lead").ClickAsync();
        await page.GetByText("One e-mail a day with the previous day's leads").ClickAsync();
        // As a user would, each choice is seen taken before the next (on a loaded CI machine the time was picked in a
        // select the digest switch had not yet enabled, and saved as it was).
        await Assertions.Expect(page.GetByLabel("One e-mail a day with the previous day's leads")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#digest-time .mud-disabled")).ToHaveCountAsync(0);
        await page.Locator("#digest-time").ClickAsync();
        await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "07:00", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#digest-time")).ToContainTextAsync("07:00");
        await page.Locator("#save-notifications").ClickAsync();
        await Assertions.Expect(page.GetByText("Notification settings saved.")).ToBeVisibleAsync();

        await page.ReloadAsync();
        await SignInPage.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("#digest-time")).ToContainTextAsync("07:00");
        await Assertions.Expect(page.Locator("#time-zone input")).ToHaveValueAsync("Europe/Stockholm");
        Assert.True(await page.GetByRole(AriaRole.Radio, new PageGetByRoleOptions { Name = "Every new lead" }).IsCheckedAsync());

        using var http = browser.App.CreateClient();
        var response = await http.PostLeadAsync(SampleLeads.Unique());
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var mail = Assert.Single(await browser.Smtp.WaitForAsync(email));
        Assert.StartsWith("New lead:", mail.Subject);
    }

    [BrowserFact]
    public async Task An_admin_sends_a_test_e_mail_from_the_mail_page()
    {
        var page = await browser.NewPageAsync();
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync("/admin/mail");
        await SignInPage.WaitForCircuitAsync(page);
        var to = $"test.{Guid.NewGuid():N}"[..16] + "@leadportal.test";
        await page.Locator(".test-mail-to input").FillAsync(to);
        await page.Locator("#send-test-mail").ClickAsync();
        await Assertions.Expect(page.Locator("#test-mail-outcome")).ToContainTextAsync($"accepted a test e-mail to {to}");
        var mail = Assert.Single(await browser.Smtp.WaitForAsync(to));
        Assert.Equal("LeadPortal: test e-mail", mail.Subject);
    }
}
