using System.Text;
using Bunit;
using LeadPortal.Data;
using LeadPortal.Import;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Import;

/// <summary>The reconciliation page (bunit, the app's own services), on SQLite; <see cref="ReconciliationPagePostgresTests"/> on PostgreSQL.</summary>
public class ReconciliationPageTests : AppBunitBase
{
    public ReconciliationPageTests() : base(StoreProvider.Sqlite)
    {
    }

    protected ReconciliationPageTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task The_page_shows_the_counts_the_reasons_the_rule_the_days_and_both_lists()
    {
        var ids = await ReconciliationTests.ArrangeAsync(App);
        var run = await App.UploadAsync("pc-march.csv", Encoding.UTF8.GetBytes(ReconciliationTests.File()));

        var cut = RenderPage<ReconciliationPage>(p => p.Add(c => c.RunId, run));

        cut.WaitForAssertion(() => Assert.Equal("5", cut.Find("#reconcile-count-file-only").TextContent), TimeSpan.FromSeconds(20));
        Assert.Equal("4", cut.Find("#reconcile-count-matched").TextContent);
        Assert.Equal("3", cut.Find("#reconcile-count-received-only").TextContent);
        Assert.Equal("Why received leads are not in the file: 1 test lead · 1 duplicate of another received lead · 1 newer than the file's last row.",
            cut.Find("#reconcile-reasons").TextContent.Trim());
        Assert.Contains("received within 48 hours of each other", cut.Find("#reconcile-rule").TextContent);
        Assert.Contains("1 lead received after that is not compared", cut.Find("#reconcile-range").TextContent);
        Assert.Equal(6, cut.FindAll("#reconcile-days tr.recon-offer-row").Count);
        Assert.Equal(["Thursday 5 March 2026", "Friday 6 March 2026", "Saturday 7 March 2026", "Sunday 8 March 2026", "Monday 9 March 2026"],
            cut.FindAll("#reconcile-days tr.recon-day").Select(t => t.TextContent.Trim()));
        Assert.Equal(["Total", "4", "5", "3"], cut.FindAll("#reconcile-days tfoot th").Select(t => t.TextContent.Trim()));
        Assert.Equal(5, cut.FindAll("#reconcile-file-only tbody tr").Count);
        Assert.Contains("hal.holm@adatum.example", cut.Find("#reconcile-file-only tbody tr").TextContent);
        var received = cut.FindAll("#reconcile-received-only tbody tr");
        Assert.Equal(3, received.Count);
        Assert.Contains($"Duplicate of lead {ids["ana"]}", received[0].TextContent);
        Assert.Equal($"/leads/{ids["ana"]}", received[0].QuerySelectorAll("a")[1].GetAttribute("href"));
        Assert.Contains("Import these 5 leads", cut.Find("#reconcile-import").TextContent);
        Assert.StartsWith($"/api/imports/{run}/reconciliation.csv?tz=", cut.Find("#reconcile-download").GetAttribute("href"));
    }

    [StoreFact]
    public async Task Import_these_asks_first_then_imports_and_opens_the_import()
    {
        await ReconciliationTests.ArrangeAsync(App);
        var run = await App.UploadAsync("pc-march.csv", Encoding.UTF8.GetBytes(ReconciliationTests.File()));
        Render<MudBlazor.MudPopoverProvider>();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = Render<ReconciliationPage>(p => p.Add(c => c.RunId, run));
        cut.WaitForAssertion(() => Assert.Equal("5", cut.Find("#reconcile-count-file-only").TextContent), TimeSpan.FromSeconds(20));

        await cut.InvokeAsync(() => cut.Find("#reconcile-import").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Import 5 leads?", dialogs.Find(".mud-dialog").TextContent));
        await dialogs.InvokeAsync(() => dialogs.FindAll(".mud-dialog-actions button").Single(b => b.TextContent.Contains("Import them")).Click());

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith($"/leads/import?run={run}", navigation.Uri), TimeSpan.FromSeconds(30));
        var job = App.Services.GetRequiredService<ImportJob>();
        await job.Current!.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(5, await App.QueryAsync(db => db.Leads.CountAsync(l => l.Origin == LeadOrigin.Import && l.OriginName == "pc-march.csv")));
    }

    [StoreFact]
    public async Task A_file_that_cannot_be_reconciled_says_why_and_offers_the_way_back()
    {
        var run = await App.UploadAsync("no-dates.csv", Encoding.UTF8.GetBytes("Email,Offer name\r\nana@contoso.example,Demo\r\n"));

        var cut = RenderPage<ReconciliationPage>(p => p.Add(c => c.RunId, run));

        cut.WaitForAssertion(() => Assert.Contains("Map a column to \"Received at (lead created)\"", cut.Find("#reconcile-error").TextContent));
        Assert.Equal($"/leads/import?run={run}", cut.Find("#reconcile-error-back").GetAttribute("href"));
        Assert.Empty(cut.FindAll("#reconcile-summary"));
    }
}

[PostgresStore]
public sealed class ReconciliationPagePostgresTests() : ReconciliationPageTests(StoreProvider.Postgres);
