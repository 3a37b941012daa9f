using System.Text;
using System.Text.Json;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Import;
using LeadPortal.Tests.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Import;

/// <summary>
/// CSV import end to end through its service and background job, on SQLite; <see cref="ImportPostgresTests"/> on
/// PostgreSQL: Partner Center's download mapped by its headers, checked, imported with its origin and undone; duplicates of
/// webhook leads; a file broken after its first batch stores nothing.
/// </summary>
public class ImportTests : StoreAppTests
{
    public ImportTests() : base(StoreProvider.Sqlite)
    {
    }

    protected ImportTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task A_Partner_Center_download_is_mapped_by_its_headers_checked_imported_with_its_origin_and_reported()
    {
        await using var app = ImportTestKit.NewImportApp(Provider);
        var id = await app.UploadAsync("partner-center-leads.csv", await File.ReadAllBytesAsync(ImportTestKit.SamplePath("partner-center-leads.csv")));

        var step = await app.Imports().SetupAsync(id, CancellationToken.None);
        Assert.NotNull(step);
        Assert.Null(step.Error);
        Assert.Equal((ImportCsv.Utf8, ","), (step.Run.Encoding, step.Run.Delimiter));
        var mapped = step.Columns.ToDictionary(c => c.Header, c => c.Field);
        Assert.Equal(ImportFields.Email, mapped["Customer Contact Email Address"]);
        Assert.Equal(ImportFields.Company, mapped["Customer Name"]);
        Assert.Equal(ImportFields.ActionCode, mapped["Call to action"]);
        Assert.Equal(ImportFields.OfferTitle, mapped["Offer name"]);
        Assert.Equal(ImportFields.ReceivedAt, mapped["LeadCreationDateTime"]);
        Assert.Null(mapped["Lead ID"]);

        var checkedRun = await app.CheckAsync(id);
        Assert.Equal(ImportState.Checked, checkedRun.State);
        Assert.Equal((9, 5, 1, 3), (checkedRun.TotalRows, checkedRun.Imported, checkedRun.Duplicates, checkedRun.Refused));
        Assert.Equal(0, await app.QueryAsync(db => db.Leads.CountAsync()));

        var run = await app.ImportAsync(id);
        Assert.Equal(ImportState.Imported, run.State);
        Assert.Equal((5, 1, 3), (run.Imported, run.Duplicates, run.Refused));

        var leads = await app.QueryAsync(db => db.Leads.AsNoTracking().Include(l => l.Payload).OrderBy(l => l.ReceivedAt).ToListAsync());
        Assert.Equal(5, leads.Count);
        Assert.All(leads, l => Assert.Equal((LeadOrigin.Import, "partner-center-leads.csv"), (l.Origin, l.OriginName)));
        var ana = leads.Single(l => l.Email == "ana.lima@contoso.example");
        Assert.Equal(("Contoso Ltd", "US", "PLT", "LeadPortal Demo"), (ana.Company, ana.Country, ana.ActionCode, ana.OfferTitle));
        Assert.Equal(new DateTime(2026, 3, 9, 8, 15, 0, DateTimeKind.Utc), ana.ReceivedAt);
        Assert.Equal("INS", leads.Single(l => l.Email == "maja.berg@fabrikam.example").ActionCode);
        // A formula is data: stored as its text, never evaluated.
        Assert.Equal("=HYPERLINK(\"http://evil.example\",\"click\")", leads.Single(l => l.LastName == "Patel").Description);
        Assert.True(leads.Single(l => l.Company == "MSFT_TEST").IsTest);
        var joerg = leads.Single(l => l.FirstName == "Jörg");
        Assert.Equal(("Müller & Söhne GmbH", "StartTestDrive"), (joerg.Company, joerg.ActionCode));
        Assert.Equal("Line one, with a comma\r\nline two", joerg.Description);
        Assert.Contains("\"ImportedRow\"", joerg.Payload!.Body, StringComparison.Ordinal);

        var refusals = await app.Imports().RefusalsAsync(id, 10, CancellationToken.None);
        Assert.Equal(
            [
                "Row 5, column 'Customer Contact Email Address': 'not-an-email' is not an e-mail address.",
                "Row 6, column 'Customer Contact Email Address': empty; every lead needs an e-mail address.",
                "Row 7, column 'LeadCreationDateTime': '31/31/2026' is not a date and time (write it as 2026-05-01 14:30:00, in UTC, or as 5/1/2026 2:30:00 PM).",
            ],
            refusals.Select(r => new ImportRowError(r.Row, r.Column, r.Reason).Describe()));

        var audit = await app.QueryAsync(db => db.AuditLog.Where(a => a.Action.StartsWith("import.")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal([AuditActions.ImportChecked, AuditActions.ImportStarted, AuditActions.ImportFinished], audit);
        Assert.False(File.Exists(app.Services.GetRequiredService<ImportFiles>().PathOf(id)), "The uploaded file is deleted after the import.");
        // Imported leads notify nobody by default.
        Assert.Equal(0, await app.QueryAsync(db => db.MailOutbox.CountAsync()));
    }

    [StoreFact]
    public async Task Rows_that_repeat_a_webhook_lead_within_the_window_are_skipped_or_fill_its_empty_fields()
    {
        await using var app = ImportTestKit.NewImportApp(Provider);
        var posted = await app.PostAsync(JsonSerializer.Serialize(new
        {
            UserDetails = new { FirstName = "Ana", LastName = "Lima", Email = "Ana.Lima@contoso.example", Company = "Contoso" },
            LeadSource = "AzureMarketplace-PLT|contoso.leadportal-demo",
            ActionCode = "PLT",
            OfferTitle = "LeadPortal Demo",
        }));
        var csv = "Customer Contact Email Address,Offer name,Call to action,Customer Contact Job Title,LeadCreationDateTime\r\n"
            + "ana.lima@contoso.example,LeadPortal Demo,Contact me,CTO,2026-03-09T12:00:00Z\r\n" // 24 h before: the webhook lead
            + "ana.lima@contoso.example,LeadPortal Demo,Contact me,CTO,2026-03-01T12:00:00Z\r\n" // 9 days before: another lead
            + "ana.lima@contoso.example,Another offer,Contact me,CTO,2026-03-10T11:00:00Z\r\n"; // another offer
        var skip = await app.UploadAsync("backfill.csv", Encoding.UTF8.GetBytes(csv));
        var checkedRun = await app.CheckAsync(skip);
        Assert.Equal((2, 1, 0), (checkedRun.Imported, checkedRun.Duplicates, checkedRun.Refused));
        var run = await app.ImportAsync(skip);
        Assert.Equal((2, 1), (run.Imported, run.Duplicates));
        Assert.Null(await app.QueryAsync(db => db.Leads.Where(l => l.Id == posted).Select(l => l.Title).SingleAsync()));

        // The same file again, filling empty fields: every row now repeats a stored lead (the webhook's, or the first import's).
        var fill = await app.UploadAsync("backfill.csv", Encoding.UTF8.GetBytes(csv));
        await app.Imports().SaveChoicesAsync(fill, app.Imports().AutoMap(["Customer Contact Email Address", "Offer name", "Call to action", "Customer Contact Job Title", "LeadCreationDateTime"]),
            ImportDuplicateMode.FillEmpty, notify: false, CancellationToken.None);
        await app.CheckAsync(fill);
        var second = await app.ImportAsync(fill);
        Assert.Equal((0, 3, 1), (second.Imported, second.Duplicates, second.Updated));
        Assert.Equal("CTO", await app.QueryAsync(db => db.Leads.Where(l => l.Id == posted).Select(l => l.Title).SingleAsync()));
        Assert.Equal(3, await app.QueryAsync(db => db.Leads.CountAsync()));
    }

    [StoreFact]
    public async Task Undo_removes_the_imports_leads_but_keeps_and_lists_those_someone_worked()
    {
        await using var app = ImportTestKit.NewImportApp(Provider);
        var id = await app.UploadAsync("partner-center-leads.csv", await File.ReadAllBytesAsync(ImportTestKit.SamplePath("partner-center-leads.csv")));
        await app.CheckAsync(id);
        await app.ImportAsync(id);
        var worked = await app.QueryAsync(async db =>
        {
            var lead = await db.Leads.SingleAsync(l => l.Email == "raj.patel@northwind.example");
            lead.Status = LeadStatus.Contacted;
            await db.SaveChangesAsync();
            return lead.Id;
        });

        var undo = await app.Imports().UndoAsync(id, app.Admin(), CancellationToken.None);

        Assert.Null(undo.Error);
        Assert.Equal(4, undo.Removed);
        Assert.Equal([worked], undo.Kept.Select(k => k.Id));
        Assert.Equal([worked], await app.QueryAsync(db => db.Leads.Select(l => l.Id).ToListAsync()));
        Assert.Equal(ImportState.Undone, (await app.Imports().GetAsync(id, CancellationToken.None))!.State);
        Assert.Contains("4 leads removed; 1 kept", await app.QueryAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.ImportUndone).Select(a => a.Details).SingleAsync()));
        Assert.Equal("Only an import that stored leads can be undone.", (await app.Imports().UndoAsync(id, app.Admin(), CancellationToken.None)).Error);
    }

    [StoreFact]
    public async Task A_file_whose_quoting_breaks_after_the_first_batch_is_refused_whole_and_stores_nothing()
    {
        await using var app = ImportTestKit.NewImportApp(Provider);
        var csv = new StringBuilder("Email,Offer name,Call to action\r\n");
        for (var i = 1; i <= 700; i++)
        {
            csv.Append($"person{i}@example.com,Demo,Contact me\r\n");
        }

        csv.Append("late@example.com,\"Demo\"x,Contact me\r\n");
        var id = await app.UploadAsync("broken.csv", Encoding.UTF8.GetBytes(csv.ToString()));

        var run = await app.CheckAsync(id);

        Assert.Equal(ImportState.FileRefused, run.State);
        Assert.StartsWith("Row 702: ", run.Error);
        Assert.Contains("quot", run.Error);
        Assert.Equal("Only a checked import can be started.", await app.Imports().ImportAsync(id, app.Admin(), CancellationToken.None));
        Assert.Equal(0, await app.QueryAsync(db => db.Leads.CountAsync()));
        Assert.False(File.Exists(app.Services.GetRequiredService<ImportFiles>().PathOf(id)));
    }
}

[PostgresStore]
public sealed class ImportPostgresTests() : ImportTests(StoreProvider.Postgres);
