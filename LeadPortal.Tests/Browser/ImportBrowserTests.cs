using System.Text;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ImportBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task The_import_wizard_uploads_maps_checks_imports_and_undoes_a_Partner_Center_file_at_1280_px()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var csv = "Customer Name,Customer Contact First Name,Customer Contact Last Name,Customer Contact Email Address,Offer name,Call to action,LeadCreationDateTime\r\n"
            + $"Contoso Ltd,Ana,Import{tag},ana.{tag}@contoso.example,LeadPortal Demo,Contact me,2026-03-09T08:15:00Z\r\n"
            + $"Fabrikam AB,Maja,Import{tag},maja.{tag}@fabrikam.example,LeadPortal Demo,Free trial,2026-03-08T16:30:00Z\r\n"
            + $"Northwind,Raj,Import{tag},not-an-email,LeadPortal Demo,Contact me,2026-03-07T10:00:00Z\r\n";
        var email = $"import.{tag}@leadportal.test";
        await browser.CreateUserAsync(email, "Sales-Passw0rd!", LeadPortal.Accounts.Roles.Sales);
        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, email, "Sales-Passw0rd!");
        await page.GotoAsync("/leads/import");
        await SignInPage.WaitForCircuitAsync(page);

        // The page enables the file input once Blazor's InputFile listens (a file chosen before is lost).
        await Assertions.Expect(page.Locator("#import-file")).ToBeEnabledAsync();
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = $"partner-center-{tag}.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
        });
        // The first upload of a run also starts the upload path cold (JIT, the first CSV read): give it time.
        await page.WaitForURLAsync(url => url.Contains("run=", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 60_000 });
        var columns = page.Locator("#import-columns tbody tr");
        await Assertions.Expect(columns).ToHaveCountAsync(7);
        await Assertions.Expect(page.Locator("#import-preview tbody tr").Nth(0)).ToContainTextAsync($"ana.{tag}@contoso.example");
        await Assertions.Expect(page.Locator("#import-preview tbody tr").Nth(2)).ToContainTextAsync("Row 4, column 'Customer Contact Email Address'");
        await ShootAsync(page, "columns", email);

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Check the file" }).ClickAsync();
        await Assertions.Expect(page.Locator("#import-count-new")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#import-count-refused")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#import-refusals")).ToContainTextAsync("'not-an-email' is not an e-mail address.");
        await Assertions.Expect(page.Locator("#import-rule")).ToContainTextAsync("within 48 hours");

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Import 2 leads" }).ClickAsync();
        await Assertions.Expect(page.Locator("#import-undo")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#import-report")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^/api/imports/\d+/report\.csv$"));
        Assert.Equal(2, await browser.App.QueryAsync(db => db.Leads.CountAsync(l => l.LastName == "Import" + tag && l.Origin == LeadPortal.Data.LeadOrigin.Import)));
        await ShootAsync(page, "report", email);

        await page.Locator("#import-undo").ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Undo the import" }).ClickAsync();
        await Assertions.Expect(page.Locator("#import-undo-result")).ToContainTextAsync("2 imported leads removed.");
        Assert.Equal(0, await browser.App.QueryAsync(db => db.Leads.CountAsync(l => l.LastName == "Import" + tag)));
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
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"h-import-{name}-1280.png"), FullPage = true });
        if (_phone is null)
        {
            _phone = await browser.NewPageAsync(390, 844);
            await SignInPage.SignInAsync(_phone, email, "Sales-Passw0rd!");
        }

        await _phone.GotoAsync(page.Url);
        await SignInPage.WaitForCircuitAsync(_phone);
        await Assertions.Expect(_phone.Locator("#import-file-name")).ToBeVisibleAsync();
        await _phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"h-import-{name}-390.png"), FullPage = true });
    }
}
