using System.Net;
using System.Text;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Import;
using LeadPortal.Intake;
using LeadPortal.Tests.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Import;

/// <summary>
/// Reconciling a Partner Center download with the received leads, on SQLite; <see cref="ReconciliationPostgresTests"/>
/// on PostgreSQL: what matched, what the file has that never arrived, what arrived that the file lacks and why, per day;
/// "Import these" storing exactly the missing rows; the CSV.
/// </summary>
public class ReconciliationTests : StoreAppTests
{
    public ReconciliationTests() : base(StoreProvider.Sqlite)
    {
    }

    protected ReconciliationTests(StoreProvider provider) : base(provider)
    {
    }

    private static DateTime Utc(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, DateTimeKind.Utc);

    private const string Headers = "Customer Contact First Name,Customer Contact Last Name,Customer Contact Email Address,Customer Name,Offer name,Call to action,LeadCreationDateTime";

    /// <summary>
    /// Received: 4 leads the file has, a redelivery of one of them, a test lead, one newer than the file, one long before
    /// and one long after it. The file: those 4 (spelt its own way, minutes apart), 5 rows never received, a row that
    /// repeats an earlier row and one that is not a lead.
    /// </summary>
    internal static async Task<Dictionary<string, long>> ArrangeAsync(LeadPortalFactory app)
    {
        var ids = new Dictionary<string, long>
        {
            ["ana"] = await AddLeadAsync(app, "Ana", "Lima", "ana.lima@contoso.example", "LeadPortal Demo", "PLT", Utc(5, 9)),
            ["bo"] = await AddLeadAsync(app, "Bo", "Berg", "bo.berg@fabrikam.example", "LeadPortal Demo", "INS", Utc(6, 10), LeadOrigin.Table, "Marketplace"),
            ["cy"] = await AddLeadAsync(app, "Cy", "Chen", "cy.chen@northwind.example", "LeadPortal Demo", "PLT", Utc(7, 23, 30)),
            ["dee"] = await AddLeadAsync(app, "Dee", "Diaz", "dee.diaz@tailspin.example", "Other Offer", "PLT", Utc(8, 8)),
            // Missing from the file, each for its reason.
            ["ana-again"] = await AddLeadAsync(app, "Ana", "Lima", "Ana.Lima@contoso.example", "LeadPortal Demo", "PLT", Utc(5, 11)),
            ["test"] = await AddLeadAsync(app, "MSFT_TEST", "MSFT_TEST", "msft_test@microsoft.example", "LeadPortal Demo", "PLT", Utc(6, 12), test: true),
            ["eve"] = await AddLeadAsync(app, "Eve", "Ek", "eve.ek@wideworld.example", "LeadPortal Demo", "PLT", Utc(9, 9)),
            // Outside the compared range (first row − 48 h … last row + 48 h): not listed.
            ["before"] = await AddLeadAsync(app, "Fay", "Fox", "fay.fox@litware.example", "LeadPortal Demo", "PLT", Utc(1, 9)),
            ["after"] = await AddLeadAsync(app, "Gus", "Gray", "gus.gray@litware.example", "LeadPortal Demo", "PLT", Utc(10, 10)),
        };
        return ids;
    }

    internal static string File() => Headers + "\r\n"
        + "Ana,Lima,ana.lima@contoso.example,Contoso,LeadPortal Demo,Contact me,2026-03-05T09:02:00Z\r\n"
        + "Bo,Berg,BO.BERG@fabrikam.example,Fabrikam,leadportal demo,Free trial,2026-03-06T10:00:00Z\r\n"
        + "Cy,Chen,cy.chen@northwind.example,Northwind,LeadPortal Demo,Contact me,2026-03-07T23:31:00Z\r\n"
        + "Dee,Diaz,dee.diaz@tailspin.example,Tailspin,Other Offer,Contact me,2026-03-08T08:00:00Z\r\n"
        + "Hal,Holm,hal.holm@adatum.example,Adatum,LeadPortal Demo,Contact me,2026-03-05T15:00:00Z\r\n"
        + "Ivy,Ito,ivy.ito@adatum.example,Adatum,LeadPortal Demo,Contact me,2026-03-06T08:00:00Z\r\n"
        + "Jon,Jung,jon.jung@proseware.example,\"=HYPERLINK(\"\"http://evil.example\"\")\",LeadPortal Demo,Free trial,2026-03-06T09:00:00Z\r\n"
        + "Kim,Kahn,kim.kahn@proseware.example,Proseware,Other Offer,Contact me,2026-03-07T12:00:00Z\r\n"
        + "Lou,Lind,lou.lind@fourthcoffee.example,Fourth Coffee,Other Offer,Contact me,2026-03-08T07:00:00Z\r\n"
        + "Hal,Holm,hal.holm@adatum.example,Adatum,LeadPortal Demo,Contact me,2026-03-05T16:00:00Z\r\n"
        + "Max,Moe,not-an-email,Nobody,LeadPortal Demo,Contact me,2026-03-06T09:30:00Z\r\n";

    private static readonly string[] NeverReceived =
        ["hal.holm@adatum.example", "ivy.ito@adatum.example", "jon.jung@proseware.example", "kim.kahn@proseware.example", "lou.lind@fourthcoffee.example"];

    [StoreFact]
    public async Task A_file_that_misses_3_received_leads_and_has_5_unreceived_ones_is_reported_per_day_with_the_reasons_and_the_rule()
    {
        await using var app = ImportTestKit.NewImportApp(Provider);
        var ids = await ArrangeAsync(app);
        var run = await app.UploadAsync("pc-march.csv", Encoding.UTF8.GetBytes(File()));

        var result = await app.Services.GetRequiredService<Reconciliation>().ComputeAsync(run, TimeZoneInfo.Utc);

        Assert.Null(result.Error);
        var report = result.Report!;
        Assert.Equal((11, 4, 5, 3), (report.Rows, report.Matched, report.InFileOnly, report.ReceivedOnly));
        Assert.Equal((1, 1, 1), (report.RepeatsInFile, report.Unreadable, report.LaterLeads));
        Assert.Equal(NeverReceived, report.FileOnlyRows.Select(r => r.Email));
        Assert.Equal([6, 7, 8, 9, 10], report.FileOnlyRows.Select(r => r.Row));
        Assert.Equal(
            [
                (ids["ana-again"], ReceivedOnlyReason.Duplicate, (long?)ids["ana"]),
                (ids["test"], ReceivedOnlyReason.TestLead, null),
                (ids["eve"], ReceivedOnlyReason.NewerThanFile, null),
            ],
            report.ReceivedOnlyLeads.Select(l => (l.Id, l.Reason, l.DuplicateOf)));
        Assert.Equal($"Duplicate of lead {ids["ana"]}", report.ReceivedOnlyLeads[0].Why);
        Assert.Equal(new Dictionary<ReceivedOnlyReason, int> { [ReceivedOnlyReason.Duplicate] = 1, [ReceivedOnlyReason.TestLead] = 1, [ReceivedOnlyReason.NewerThanFile] = 1 },
            report.Reasons);
        Assert.Equal((Utc(5, 9, 2), Utc(8, 8)), (report.FirstRowAt, report.LastRowAt));
        Assert.Contains("the same e-mail address, offer and action, received within 48 hours of each other", report.Rule);

        Assert.Equal(
            [
                new ReconciliationDay(new DateOnly(2026, 3, 5), "LeadPortal Demo", 1, 1, 1),
                new ReconciliationDay(new DateOnly(2026, 3, 6), "LeadPortal Demo", 1, 2, 1),
                new ReconciliationDay(new DateOnly(2026, 3, 7), "LeadPortal Demo", 1, 0, 0),
                new ReconciliationDay(new DateOnly(2026, 3, 7), "Other Offer", 0, 1, 0),
                new ReconciliationDay(new DateOnly(2026, 3, 8), "Other Offer", 1, 1, 0),
                new ReconciliationDay(new DateOnly(2026, 3, 9), "LeadPortal Demo", 0, 0, 1),
            ],
            report.Days);

        // Nothing is stored by a reconciliation.
        Assert.Equal(ids.Count, await app.QueryAsync(db => db.Leads.CountAsync()));
        Assert.Equal(ImportState.Uploaded, (await app.Imports().GetAsync(run, CancellationToken.None))!.State);
    }

    [StoreFact]
    public async Task Days_are_the_viewers_own()
    {
        await using var app = ImportTestKit.NewImportApp(Provider);
        await ArrangeAsync(app);
        var run = await app.UploadAsync("pc-march.csv", Encoding.UTF8.GetBytes(File()));

        // Stockholm is UTC+1 in March: Cy's row at 23:31 UTC on the 7th is the 8th there.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
        var report = (await app.Services.GetRequiredService<Reconciliation>().ComputeAsync(run, zone)).Report!;

        Assert.Contains(new ReconciliationDay(new DateOnly(2026, 3, 8), "LeadPortal Demo", 1, 0, 0), report.Days);
        Assert.DoesNotContain(report.Days, d => d.Day == new DateOnly(2026, 3, 7) && d.Offer == "LeadPortal Demo");
    }

    [StoreFact]
    public async Task Received_leads_in_the_range_are_not_in_the_file_or_older_than_its_first_row()
    {
        await using var app = ImportTestKit.NewImportApp(Provider);
        var older = await AddLeadAsync(app, "Old", "Olsen", "old.olsen@contoso.example", "LeadPortal Demo", "PLT", Utc(4, 12));
        var missing = await AddLeadAsync(app, "Nia", "Ness", "nia.ness@contoso.example", "LeadPortal Demo", "PLT", Utc(6, 12));
        var run = await app.UploadAsync("short.csv", Encoding.UTF8.GetBytes(Headers + "\r\n"
            + "Ana,Lima,ana.lima@contoso.example,Contoso,LeadPortal Demo,Contact me,2026-03-05T09:00:00Z\r\n"
            + "Bo,Berg,bo.berg@fabrikam.example,Fabrikam,LeadPortal Demo,Contact me,2026-03-07T09:00:00Z\r\n"));

        var report = (await app.Services.GetRequiredService<Reconciliation>().ComputeAsync(run, TimeZoneInfo.Utc)).Report!;

        Assert.Equal((0, 2, 2), (report.Matched, report.InFileOnly, report.ReceivedOnly));
        Assert.Equal([(older, ReceivedOnlyReason.OlderThanFile), (missing, ReceivedOnlyReason.NotInFile)], report.ReceivedOnlyLeads.Select(l => (l.Id, l.Reason)));
    }

    [StoreFact]
    public async Task A_file_without_a_date_column_or_no_longer_there_gets_a_readable_refusal()
    {
        await using var app = ImportTestKit.NewImportApp(Provider);
        var reconciliation = app.Services.GetRequiredService<Reconciliation>();
        var noDates = await app.UploadAsync("no-dates.csv", Encoding.UTF8.GetBytes("Email,Offer name\r\nana@contoso.example,Demo\r\n"));
        Assert.Equal("Map a column to \"Received at (lead created)\": the report compares the file with the leads received in the days its rows cover.",
            (await reconciliation.ComputeAsync(noDates, TimeZoneInfo.Utc)).Error);

        var cancelled = await app.UploadAsync("gone.csv", Encoding.UTF8.GetBytes(File()));
        await app.Imports().CancelAsync(cancelled, CancellationToken.None);
        Assert.StartsWith("This file is no longer here", (await reconciliation.ComputeAsync(cancelled, TimeZoneInfo.Utc)).Error);
        Assert.Equal("There is no import 999.", (await reconciliation.ComputeAsync(999, TimeZoneInfo.Utc)).Error);
    }

    [StoreFact]
    public async Task Import_these_stores_exactly_the_rows_never_received_as_an_audited_import_that_can_be_undone()
    {
        await using var app = ImportTestKit.NewImportApp(Provider);
        var ids = await ArrangeAsync(app);
        var run = await app.UploadAsync("pc-march.csv", Encoding.UTF8.GetBytes(File()));
        var reconciliation = app.Services.GetRequiredService<Reconciliation>();
        var report = (await reconciliation.ComputeAsync(run, TimeZoneInfo.Utc)).Report!;

        // A count that no longer holds imports nothing.
        Assert.StartsWith("The check now finds 5 new rows, not the 4 of this report",
            await reconciliation.ImportMissingAsync(run, report.InFileOnly - 1, app.Admin(), CancellationToken.None));
        Assert.Equal(ids.Count, await app.QueryAsync(db => db.Leads.CountAsync()));

        Assert.Null(await reconciliation.ImportMissingAsync(run, report.InFileOnly, app.Admin(), CancellationToken.None));
        var job = app.Services.GetRequiredService<ImportJob>();
        await job.Current!.WaitAsync(TimeSpan.FromSeconds(60));

        var imported = await app.QueryAsync(db => db.Leads.Where(l => l.Origin == LeadOrigin.Import).OrderBy(l => l.ReceivedAt).ThenBy(l => l.Id)
            .Select(l => new { l.Email, l.OriginName, l.OriginKey }).ToListAsync());
        Assert.Equal(NeverReceived.Order(), imported.Select(l => l.Email!).Order());
        Assert.All(imported, l => Assert.Equal("pc-march.csv", l.OriginName));
        Assert.All(imported, l => Assert.StartsWith(ImportRows.OriginPrefix(run), l.OriginKey));
        var audit = await app.QueryAsync(db => db.AuditLog.Where(a => a.Action.StartsWith("import.")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal([AuditActions.ImportChecked, AuditActions.ImportChecked, AuditActions.ImportStarted, AuditActions.ImportFinished], audit);

        var undo = await app.Imports().UndoAsync(run, app.Admin(), CancellationToken.None);
        Assert.Equal(5, undo.Removed);
        Assert.Equal(ids.Count, await app.QueryAsync(db => db.Leads.CountAsync()));
    }

    [StoreFact]
    public async Task The_csv_lists_every_row_and_lead_then_the_days_totals_and_rule_with_formulas_as_text()
    {
        await using var app = ImportTestKit.NewImportApp(Provider);
        var ids = await ArrangeAsync(app);
        var run = await app.UploadAsync("pc-march.csv", Encoding.UTF8.GetBytes(File()));
        var client = app.CreateCookieClient();
        await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);

        var response = await client.GetAsync(ImportEndpoints.ReconciliationUrl(run, TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"import-{run}-reconciliation.csv", response.Content.Headers.ContentDisposition?.FileNameStar);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Section,Day,Offer,Row,Lead,At (UTC),Name,E-mail,Company,Action,Source,Reason,Matched,In file only,Received only", lines[0]);
        Assert.Equal(5, lines.Count(l => l.StartsWith("In file only,", StringComparison.Ordinal)));
        Assert.Equal(3, lines.Count(l => l.StartsWith("Received only,", StringComparison.Ordinal)));
        Assert.Contains("In file only,2026-03-06,LeadPortal Demo,8,,2026-03-06 09:00:00,Jon Jung,jon.jung@proseware.example,\"'=HYPERLINK(\"\"http://evil.example\"\")\",Get it now,,Never received,,,", lines);
        Assert.Contains($"Received only,2026-03-05,LeadPortal Demo,,{ids["ana-again"]},2026-03-05 11:00:00,Ana Lima,Ana.Lima@contoso.example,,Contact me,Endpoint,Duplicate of lead {ids["ana"]},,,", lines);
        // Cy's row at 23:31 UTC on the 7th is on the 8th in Stockholm.
        Assert.Contains("Per day,2026-03-08,LeadPortal Demo,,,,,,,,,,1,0,0", lines);
        Assert.Equal("Total,,,,,,,,,,,11 rows in pc-march.csv,4,5,3", lines[^2]);
        Assert.StartsWith("Rule,", lines[^1]);
        Assert.Contains("received within 48 hours of each other", lines[^1]);

        var refused = await client.GetAsync(ImportEndpoints.ReconciliationUrl(999, TimeZoneInfo.Utc));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var stranger = await app.CreateCookieClient().GetAsync(ImportEndpoints.ReconciliationUrl(run, TimeZoneInfo.Utc));
        Assert.NotEqual(HttpStatusCode.OK, stranger.StatusCode);
    }

    /// <summary>A lead as the endpoint or a table source stores it: its body parsed by the intake parser.</summary>
    internal static async Task<long> AddLeadAsync(LeadPortalFactory app, string first, string last, string email, string offer, string action, DateTime receivedAt,
        LeadOrigin origin = LeadOrigin.Webhook, string? originName = null, bool test = false)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            UserDetails = new { FirstName = first, LastName = last, Email = email, Company = test ? "MSFT_TEST" : null },
            LeadSource = $"AzureMarketplace-{action}|contoso.{offer.ToLowerInvariant().Replace(' ', '-')}",
            ActionCode = action,
            OfferTitle = offer,
            Description = Guid.NewGuid().ToString("N"),
        });
        Assert.True(LeadPayloadParser.TryParse(Encoding.UTF8.GetBytes(body), out var parsed, out _));
        Assert.Equal(test, parsed.IsTest);
        var lead = new Lead
        {
            ReceivedAt = receivedAt,
            BodyHash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body)),
            Payload = new LeadPayload { Body = body },
            Origin = origin,
            OriginName = originName,
            OriginKey = origin == LeadOrigin.Webhook ? null : Guid.NewGuid().ToString("N"),
        };
        parsed.ApplyTo(lead);
        return await app.QueryAsync(async db =>
        {
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
            return lead.Id;
        });
    }
}

[PostgresStore]
public sealed class ReconciliationPostgresTests() : ReconciliationTests(StoreProvider.Postgres);
