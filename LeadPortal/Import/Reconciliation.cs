using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using LeadPortal.Data;
using LeadPortal.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Import;

/// <summary>
/// Compares an uploaded file (a Partner Center lead download) with the leads received, without storing anything: which
/// rows were never received, which received leads the file does not have (and why, where it can tell), which match. The
/// rule is the import's duplicate rule (<see cref="ImportDedupe"/>), and rows are read and checked as the import reads
/// them, so "Import these" stores exactly the rows the report calls never received.
/// </summary>
/// <remarks>
/// Two passes, neither holding the file or the leads: the file is read in batches of <see cref="ImportJob.BatchSize"/>
/// rows, each batch matched in the store by e-mail address (the import's own query, on the e-mail index), keeping only
/// the ids of the matched leads and the counts; then the leads received in the file's range are read in time order as a
/// stream, a lead being a duplicate when an earlier one of the last window matches it.
/// </remarks>
public sealed class Reconciliation(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    ImportFiles files,
    ImportService imports,
    ImportJob job,
    IOptions<ImportOptions> options)
{
    /// <summary>Rows and leads of each side the page shows; the CSV has them all.</summary>
    public const int Shown = 100;

    public static string Describe(ReceivedOnlyReason reason, long? duplicateOf = null) => reason switch
    {
        ReceivedOnlyReason.TestLead => "Test lead (MSFT_TEST): Partner Center's downloads leave them out",
        ReceivedOnlyReason.Duplicate => duplicateOf is { } id ? $"Duplicate of lead {id.ToString(CultureInfo.InvariantCulture)}" : "Duplicate of another received lead",
        ReceivedOnlyReason.NewerThanFile => "Newer than the file's last row",
        ReceivedOnlyReason.OlderThanFile => "Older than the file's first row",
        ReceivedOnlyReason.NoEmail => "No e-mail address to match by",
        _ => "Not in the file",
    };

    /// <summary>Whether the run's file is still there to reconcile (it is deleted once an import ends or is cancelled).</summary>
    public static bool CanReconcile(ImportRun run) => run.State is ImportState.Uploaded or ImportState.Checked;

    /// <summary>
    /// The report for a run's file, grouped by day in <paramref name="zone"/>; with a <paramref name="sink"/>, every
    /// never-received row and every received-only lead also goes there as it is found.
    /// </summary>
    public async Task<ReconciliationResult> ComputeAsync(long runId, TimeZoneInfo zone, ReconciliationSink? sink = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.ImportRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return new(null, $"There is no import {runId}.");
        }

        if (!CanReconcile(run))
        {
            return new(null, "This file is no longer here: an uploaded file is deleted once its import ends or is cancelled. Upload it again to reconcile it.");
        }

        var headers = JsonSerializer.Deserialize<List<string>>(run.HeadersJson) ?? [];
        var mapping = JsonSerializer.Deserialize<List<string?>>(run.MappingJson) ?? [];
        if (!mapping.Contains(ImportFields.Email))
        {
            return new(null, "Map a column to E-mail: rows and leads are matched by their e-mail address.");
        }

        if (!mapping.Contains(ImportFields.ReceivedAt))
        {
            return new(null, "Map a column to \"Received at (lead created)\": the report compares the file with the leads received in the days its rows cover.");
        }

        var tally = new Tally(zone);
        var dedupe = new ImportDedupe(run.DuplicateWindow);
        var matchedLeads = new HashSet<long>();
        var rows = 0;
        var unreadable = 0;
        var repeats = 0;
        DateTime? first = null, last = null;
        try
        {
            using var reader = ImportCsv.Open(files.PathOf(runId), new CsvFormat(run.Encoding, run.Delimiter), options.Value);
            var batch = new List<ImportCandidate>(ImportJob.BatchSize);
            var finished = false;
            while (!finished)
            {
                batch.Clear();
                string[]? cells = null;
                while (batch.Count < ImportJob.BatchSize && (cells = reader.Read()) is not null)
                {
                    rows++;
                    // The check's "now", so that a row is refused (a date in the future) exactly as the import would refuse it.
                    var (candidate, _) = ImportRows.Convert(reader.Row, cells, headers, mapping, run.CreatedAt);
                    if (candidate is null)
                    {
                        unreadable++;
                        continue;
                    }

                    batch.Add(candidate);
                }

                finished = cells is null;
                var stored = await dedupe.FindStoredAsync(db, batch, cancellationToken);
                foreach (var candidate in batch)
                {
                    first = first is { } f && f <= candidate.ReceivedAt ? f : candidate.ReceivedAt;
                    last = last is { } l && l >= candidate.ReceivedAt ? l : candidate.ReceivedAt;
                    var lead = candidate.Lead;
                    // In the order the import decides, so that the rows it would store are the rows called never received here.
                    if (stored.TryGetValue(candidate.Row, out var match))
                    {
                        dedupe.RepeatInFile(candidate);
                        matchedLeads.Add(match.Id);
                        tally.Add(candidate.ReceivedAt, lead.OfferTitle ?? lead.OfferId, matched: 1);
                    }
                    else if (dedupe.RepeatInFile(candidate) is not null)
                    {
                        repeats++;
                    }
                    else
                    {
                        tally.Add(candidate.ReceivedAt, lead.OfferTitle ?? lead.OfferId, inFileOnly: 1);
                        var row = new ReconciliationRow(candidate.Row, Name(lead.FirstName, lead.LastName), lead.Email, lead.Company,
                            lead.OfferTitle ?? lead.OfferId, LeadActions.ShortLabel(lead.ActionCode), candidate.ReceivedAt);
                        tally.Keep(row);
                        if (sink is not null)
                        {
                            await sink.FileOnly(row);
                        }
                    }
                }

                progress?.Report(rows);
            }
        }
        catch (ImportFileException ex)
        {
            return new(null, ex.Message);
        }
        catch (FileNotFoundException)
        {
            return new(null, "The uploaded file is no longer there: upload it again.");
        }

        if (first is not { } from || last is not { } to)
        {
            return new(null, rows == 0 ? "The file has no rows below its header." : $"None of the file's {rows:N0} rows could be read as a lead: check the columns (the import's check lists why each row is refused).");
        }

        await CompareReceivedAsync(db, dedupe, matchedLeads, from, to, tally, sink, cancellationToken);
        // Not listed: leads received after the range, which a later download would have.
        var after = to + dedupe.Window;
        var later = await db.Leads.AsNoTracking().WithoutTestLeads().CountAsync(l => l.ReceivedAt > after, cancellationToken);

        return new(new ReconciliationReport(runId, run.FileName, dedupe.Window, zone, rows, tally.Matched, tally.InFileOnly, tally.ReceivedOnly,
            repeats, unreadable, from, to, later, tally.Days(), tally.Reasons, tally.Rows, tally.Leads), null);
    }

    private static async Task CompareReceivedAsync(LeadPortalDbContext db, ImportDedupe dedupe, HashSet<long> matched, DateTime first, DateTime last,
        Tally tally, ReconciliationSink? sink, CancellationToken cancellationToken)
    {
        var from = first - dedupe.Window;
        var to = last + dedupe.Window;
        // The leads of the last window, by e-mail, oldest first: what a lead is compared with to call it a duplicate.
        var recent = new Dictionary<string, List<Received>>(StringComparer.Ordinal);
        var order = new Queue<Received>();
        var leads = db.Leads.AsNoTracking().Where(l => l.ReceivedAt >= from && l.ReceivedAt <= to).OrderBy(l => l.ReceivedAt).ThenBy(l => l.Id)
            .Select(l => new Received(l.Id, l.ReceivedAt, l.EmailNormalized, l.OfferId, l.OfferTitle, l.ActionCode, l.IsTest,
                l.FirstName, l.LastName, l.Email, l.Company, l.Origin, l.OriginName));
        await foreach (var lead in leads.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            while (order.TryPeek(out var oldest) && oldest.ReceivedAt < lead.ReceivedAt - dedupe.Window)
            {
                order.Dequeue();
                var list = recent[oldest.EmailNormalized!];
                list.RemoveAt(0);
                if (list.Count == 0)
                {
                    recent.Remove(oldest.EmailNormalized!);
                }
            }

            long? duplicateOf = null;
            if (lead.EmailNormalized is { } email)
            {
                if (recent.TryGetValue(email, out var earlier))
                {
                    duplicateOf = earlier.FirstOrDefault(e => dedupe.Same(e.OfferId, e.OfferTitle, e.ActionCode, e.ReceivedAt,
                        lead.OfferId, lead.OfferTitle, lead.ActionCode, lead.ReceivedAt))?.Id;
                }
                else
                {
                    recent[email] = earlier = [];
                }

                earlier.Add(lead);
                order.Enqueue(lead);
            }

            if (matched.Contains(lead.Id))
            {
                continue;
            }

            var reason = lead.IsTest ? ReceivedOnlyReason.TestLead
                : duplicateOf is not null ? ReceivedOnlyReason.Duplicate
                : lead.EmailNormalized is null ? ReceivedOnlyReason.NoEmail
                : lead.ReceivedAt > last ? ReceivedOnlyReason.NewerThanFile
                : lead.ReceivedAt < first ? ReceivedOnlyReason.OlderThanFile
                : ReceivedOnlyReason.NotInFile;
            var offer = lead.OfferTitle ?? lead.OfferId;
            var row = new ReconciliationLead(lead.Id, lead.ReceivedAt, Name(lead.FirstName, lead.LastName), lead.Email, lead.Company, offer,
                LeadActions.ShortLabel(lead.ActionCode), lead.Origin, lead.OriginName, reason, reason == ReceivedOnlyReason.Duplicate ? duplicateOf : null);
            tally.Add(lead.ReceivedAt, offer, receivedOnly: 1);
            tally.Keep(row);
            if (sink is not null)
            {
                await sink.ReceivedOnly(row);
            }
        }
    }

    /// <summary>
    /// "Import these": imports the rows the report found never received, through the import itself: its check (a dry run,
    /// duplicates skipped, so only those rows are new), then, if the check finds the same number, the import. Null once
    /// the import has started; else why not (the run is then left checked, for the import page).
    /// </summary>
    public async Task<string?> ImportMissingAsync(long runId, int expected, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        if (await imports.GetAsync(runId, cancellationToken) is not { } run || !CanReconcile(run))
        {
            return "This file can no longer be imported from here: open it on the import page.";
        }

        await imports.SaveChoicesAsync(runId, JsonSerializer.Deserialize<List<string?>>(run.MappingJson) ?? [], ImportDuplicateMode.Skip, run.Notify, cancellationToken);
        // A run that has just ended here is still writing its audit for a moment: a start now would not run on this instance.
        await SettleAsync(cancellationToken);
        if (await imports.CheckAsync(runId, actor, cancellationToken) is { } refused)
        {
            return refused;
        }

        // The check runs in the background on this instance; its state is read from the store as the import page does
        // (a wait on the wall clock, not the app's: a pinned test clock never moves).
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            run = await imports.GetAsync(runId, cancellationToken);
            if (run is null || run.State != ImportState.Checking)
            {
                break;
            }
        }

        await SettleAsync(cancellationToken);
        if (run is not { State: ImportState.Checked })
        {
            return run?.Error ?? "The check did not finish: open the file on the import page.";
        }

        if (run.Imported != expected)
        {
            return $"The check now finds {run.Imported:N0} new {(run.Imported == 1 ? "row" : "rows")}, not the {expected:N0} of this report (leads arrived or changed since): nothing was imported. Review the check on the import page.";
        }

        return await imports.ImportAsync(runId, actor, cancellationToken);
    }

    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        if (job.Current is { IsCompleted: false } running)
        {
            try
            {
                await running.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (TimeoutException)
            {
                // Another import is running: the start that follows says so.
            }
        }
    }

    private static string? Name(string? first, string? last) =>
        string.Join(' ', new[] { first?.Trim(), last?.Trim() }.Where(p => !string.IsNullOrEmpty(p))) is { Length: > 0 } name ? name : null;

    private sealed record Received(long Id, DateTime ReceivedAt, string? EmailNormalized, string? OfferId, string? OfferTitle, string? ActionCode,
        bool IsTest, string? FirstName, string? LastName, string? Email, string? Company, LeadOrigin Origin, string? OriginName);

    /// <summary>The counts per day and offer, and the first rows and leads of each side.</summary>
    private sealed class Tally(TimeZoneInfo zone)
    {
        private readonly Dictionary<(DateOnly Day, string Offer), int[]> _days = [];
        private readonly Dictionary<string, string> _offerLabels = new(StringComparer.OrdinalIgnoreCase);

        public int Matched { get; private set; }
        public int InFileOnly { get; private set; }
        public int ReceivedOnly { get; private set; }
        public Dictionary<ReceivedOnlyReason, int> Reasons { get; } = [];
        public List<ReconciliationRow> Rows { get; } = [];
        public List<ReconciliationLead> Leads { get; } = [];

        public void Add(DateTime at, string? offer, int matched = 0, int inFileOnly = 0, int receivedOnly = 0)
        {
            var label = offer?.Trim() is { Length: > 0 } o ? o : "(no offer)";
            // One group per offer whatever its case: the first spelling seen names it.
            if (!_offerLabels.TryGetValue(label, out var shown))
            {
                _offerLabels[label] = shown = label;
            }

            var key = (DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(at, DateTimeKind.Utc), zone)), shown);
            if (!_days.TryGetValue(key, out var counts))
            {
                _days[key] = counts = new int[3];
            }

            counts[0] += matched;
            counts[1] += inFileOnly;
            counts[2] += receivedOnly;
            Matched += matched;
            InFileOnly += inFileOnly;
            ReceivedOnly += receivedOnly;
        }

        public void Keep(ReconciliationRow row)
        {
            if (Rows.Count < Shown)
            {
                Rows.Add(row);
            }
        }

        public void Keep(ReconciliationLead lead)
        {
            Reasons[lead.Reason] = Reasons.GetValueOrDefault(lead.Reason) + 1;
            if (Leads.Count < Shown)
            {
                Leads.Add(lead);
            }
        }

        public List<ReconciliationDay> Days() => _days
            .OrderBy(d => d.Key.Day).ThenBy(d => d.Key.Offer, StringComparer.OrdinalIgnoreCase)
            .Select(d => new ReconciliationDay(d.Key.Day, d.Key.Offer, d.Value[0], d.Value[1], d.Value[2]))
            .ToList();
    }
}
