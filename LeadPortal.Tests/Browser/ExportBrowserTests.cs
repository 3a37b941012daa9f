using LeadPortal.Accounts;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ExportBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task An_admin_adapts_the_salesforce_preset_and_a_sales_user_downloads_a_filtered_export()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        using (var http = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) })
        {
            var body = SampleLeads.Read("test-drive").Replace("Adatum", $"Adatum {tag}", StringComparison.Ordinal)
                .Replace("ben.okafor@adatum.example", $"ben.{tag}@adatum.example", StringComparison.Ordinal);
            Assert.Equal(System.Net.HttpStatusCode.Created, (await http.PostAsync($"/api/leads?key={LeadPortalFactory.IntakeKey}", new StringContent(body))).StatusCode);
        }

        // The admin copies the Salesforce preset, renames a column and previews.
        var admin = await browser.NewPageAsync();
        await SignInPage.SignInAsync(admin, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await admin.GotoAsync("/mappings");
        await SignInPage.WaitForCircuitAsync(admin);
        await admin.Locator(".copy-preset button").First.ClickAsync();
        await admin.Locator(".preset-salesforce-lead").ClickAsync();
        await admin.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/mappings/new/salesforce-lead$"));
        await Assertions.Expect(admin.Locator("#draft-notice")).ToContainTextAsync("Nothing is saved until you press Save");
        var name = $"Salesforce {tag}";
        await admin.Locator(".profile-name input").FillAsync(name);
        await admin.Locator(".column-header input").Nth(5).FillAsync("JobTitle");
        await admin.Locator(".preview-filter input").FillAsync($"/?q={tag}");
        await admin.Locator("#run-preview").ClickAsync();
        await Assertions.Expect(admin.Locator("#preview-table")).ToContainTextAsync("JobTitle");
        await Assertions.Expect(admin.Locator("#preview-table")).ToContainTextAsync($"Adatum {tag}");
        await admin.Locator("#save-profile").ClickAsync();
        await Assertions.Expect(admin.GetByText("Mapping saved.")).ToBeVisibleAsync();
        await admin.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/mappings/\d+$"));

        // A sales user filters the inbox and downloads it through that mapping.
        var email = $"sales.{tag}@leadportal.test";
        await browser.CreateUserAsync(email, "Sales-Passw0rd!", Roles.Sales);
        var sales = await browser.NewPageAsync();
        await SignInPage.SignInAsync(sales, email, "Sales-Passw0rd!");
        await sales.GotoAsync($"/?q={tag}");
        await Assertions.Expect(sales.Locator("tr.lead-row")).ToHaveCountAsync(1);
        await sales.Locator("#export").ClickAsync();
        await sales.Locator("#export-profile").ClickAsync();
        await sales.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = name }).ClickAsync();
        // The form's action names the profile once the circuit has rendered the choice: a click before that would post
        // the previous one (seen once under load).
        var profileId = await browser.App.QueryAsync(db => db.MappingProfiles.Where(p => p.Name == name).Select(p => p.Id).SingleAsync());
        await Assertions.Expect(sales.Locator("#export-form")).ToHaveAttributeAsync("action", new System.Text.RegularExpressions.Regex($"[?&]profile={profileId}&"));
        // The dialog's form posts the export (with its antiforgery token); the browser saves the file and stays here.
        await Assertions.Expect(sales.Locator("#export-form input[name=__RequestVerificationToken]")).ToHaveCountAsync(1);
        var download = await sales.RunAndWaitForDownloadAsync(() => sales.Locator("#download-export").ClickAsync());

        var path = Path.Combine(TestTemp.Root, $"{tag}.csv");
        await download.SaveAsAsync(path);
        var lines = await File.ReadAllLinesAsync(path);
        Assert.StartsWith("leads-salesforce-", download.SuggestedFilename);
        Assert.Equal("First Name,Last Name,Company,Email,Phone,JobTitle,Country Code,Lead Source,Description,Lead Status", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.Contains($"Adatum {tag}", lines[1]);
        Assert.Contains(",NG,", lines[1]);
        await Assertions.Expect(sales.Locator("#download-export")).ToHaveCountAsync(0);
        Assert.EndsWith($"/?q={tag}", sales.Url, StringComparison.Ordinal);
        await sales.Locator("#export").ClickAsync();
        await Assertions.Expect(sales.Locator("#download-export")).ToBeVisibleAsync();

        // The history downloads the same file again.
        await sales.GotoAsync("/exports");
        var run = sales.Locator("tr.export-row").First;
        await Assertions.Expect(run).ToContainTextAsync(name);
        var again = await sales.RunAndWaitForDownloadAsync(() => run.Locator(".download-again").ClickAsync());
        var againPath = Path.Combine(TestTemp.Root, $"{tag}-again.csv");
        await again.SaveAsAsync(againPath);
        Assert.Equal(await File.ReadAllBytesAsync(path), await File.ReadAllBytesAsync(againPath));
    }
}
