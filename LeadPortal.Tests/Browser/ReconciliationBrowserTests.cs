using System.Text;
using LeadPortal.Data;
using LeadPortal.Tests.Import;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ReconciliationBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task A_Partner_Center_file_is_reconciled_from_the_import_wizard_and_its_missing_rows_imported_at_1280_px()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        // Days of their own, long before the leads the other browser tests post around now.
        var day = browser.Clock.GetUtcNow().UtcDateTime.Date.AddDays(-400);
        string At(int days, int hours) => day.AddDays(days).AddHours(hours).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        await ReconciliationTests.AddLeadAsync(browser.App, "Ana", "Recon" + tag, $"ana.{tag}@contoso.example", "LeadPortal Demo", "PLT", day.AddDays(1).AddHours(10));
        await ReconciliationTests.AddLeadAsync(browser.App, "Bo", "Recon" + tag, $"bo.{tag}@fabrikam.example", "LeadPortal Demo", "INS", day.AddDays(2).AddHours(11));
        var missing = await ReconciliationTests.AddLeadAsync(browser.App, "Cy", "Recon" + tag, $"cy.{tag}@northwind.example", "LeadPortal Demo", "PLT", day.AddDays(1).AddHours(15));
        var csv = "Customer Contact First Name,Customer Contact Last Name,Customer Contact Email Address,Customer Name,Offer name,Call to action,LeadCreationDateTime\r\n"
            + $"Ana,Recon{tag},ana.{tag}@contoso.example,Contoso Ltd,LeadPortal Demo,Contact me,{At(1, 10)}\r\n"
            + $"Bo,Recon{tag},bo.{tag}@fabrikam.example,Fabrikam AB,LeadPortal Demo,Free trial,{At(2, 11)}\r\n"
            + $"Dee,Recon{tag},dee.{tag}@tailspin.example,Tailspin Toys,LeadPortal Demo,Contact me,{At(1, 12)}\r\n"
            + $"Eve,Recon{tag},eve.{tag}@wideworld.example,Wide World Importers,Other Offer,Contact me,{At(2, 9)}\r\n";
        var email = $"recon.{tag}@leadportal.test";
        await browser.CreateUserAsync(email, "Sales-Passw0rd!", LeadPortal.Accounts.Roles.Sales);
        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, email, "Sales-Passw0rd!");
        await page.GotoAsync("/leads/import");
        await SignInPage.WaitForCircuitAsync(page);

        // The page enables the file input once Blazor's InputFile listens (a file chosen before is lost).
        await Assertions.Expect(page.Locator("#import-file")).ToBeEnabledAsync();
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = $"pc-{tag}.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.WaitForURLAsync(url => url.Contains("run=", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#import-columns tbody tr")).ToHaveCountAsync(7);
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Reconcile with received leads" }).ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/reconcile", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#reconcile-count-matched")).ToHaveTextAsync("2", new LocatorAssertionsToHaveTextOptions { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#reconcile-count-file-only")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#reconcile-rule")).ToContainTextAsync("the same e-mail address, offer and action, received within 48 hours of each other");
        await Assertions.Expect(page.Locator("#reconcile-file-only tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#reconcile-file-only")).ToContainTextAsync($"dee.{tag}@tailspin.example");
        var cy = page.Locator("#reconcile-received-only tbody tr").Filter(new LocatorFilterOptions { HasText = $"cy.{tag}@northwind.example" });
        await Assertions.Expect(cy).ToContainTextAsync("Not in the file");
        await Assertions.Expect(cy.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Cy Recon" + tag })).ToHaveAttributeAsync("href", $"/leads/{missing}");
        // Days in the viewer's clock (the browser is in Stockholm), offers beside them.
        await Assertions.Expect(page.Locator("#reconcile-days tr.recon-offer-row")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#reconcile-days tr.recon-day")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#reconcile-download")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^/api/imports/\d+/reconciliation\.csv\?tz=Europe%2FStockholm$"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The page scrolls sideways at 1280 px.");
        await ShootAsync(page, "report", email);

        await page.Locator("#reconcile-import").ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Import them" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/leads/import?run=", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#import-undo")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        Assert.Equal([$"dee.{tag}@tailspin.example", $"eve.{tag}@wideworld.example"],
            await browser.App.QueryAsync(db => db.Leads.Where(l => l.LastName == "Recon" + tag && l.Origin == LeadOrigin.Import).OrderBy(l => l.Email).Select(l => l.Email!).ToListAsync()));

        // Leaves the shared store as it found it, apart from the three received leads.
        await page.Locator("#import-undo").ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Undo the import" }).ClickAsync();
        await Assertions.Expect(page.Locator("#import-undo-result")).ToContainTextAsync("2 imported leads removed.");
    }

    private IPage? _phone;

    /// <summary>Screenshots at 1280 and 390 px for a person to look at, only when LEADPORTAL_SHOTS names a folder (not on CI).</summary>
    private async Task ShootAsync(IPage page, string name, string email)
    {
        if (Environment.GetEnvironmentVariable("LEADPORTAL_SHOTS") is not { Length: > 0 } folder)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"reconcile-{name}-1280.png"), FullPage = true });
        if (_phone is null)
        {
            _phone = await browser.NewPageAsync(390, 844);
            await SignInPage.SignInAsync(_phone, email, "Sales-Passw0rd!");
        }

        await _phone.GotoAsync(page.Url);
        await SignInPage.WaitForCircuitAsync(_phone);
        await Assertions.Expect(_phone.Locator("#reconcile-count-matched")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        await _phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"reconcile-{name}-390.png"), FullPage = true });
    }
}
