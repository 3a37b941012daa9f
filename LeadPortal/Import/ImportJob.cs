using System.Security.Claims;
using System.Text.Json;
using LeadPortal.Accounts;
using LeadPortal.Audit;
using LeadPortal.Background;
using LeadPortal.Data;
using LeadPortal.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Import;

/// <summary>
/// Checks (a dry run) and imports a file in the background, one run at a time across every instance (a
/// <see cref="JobRun"/> row named <see cref="JobName"/>). Each batch of rows commits its counts and refusals with how far
/// the run got; new leads go through the <see cref="LeadWriter"/> as posted and table leads do, each known by its run and
/// row (<see cref="ImportRows.OriginKey"/>). A run that stops part-way (a crash, the store gone) is resumed from the last
/// committed batch: rows already stored are recognised by their key, so none is stored twice, and until it finishes
/// the run says so (Failed: resume or undo).
/// </summary>
public sealed class ImportJob(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    LeadWriter writer,
    ImportFiles files,
    AuditLog audit,
    IOptions<ImportOptions> importOptions,
    InstanceIdentity instance,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<ImportJob> logger) : ResumableJob(dbFactory, instance, options, time, logger)
{
    public const string JobName = "import";
    public const int BatchSize = 500;

    private Cursor? _cursor;

    protected override string RunName => JobName;

    protected override string RunDescription => "the import";

    /// <summary>Starts checking or importing a run already set to that state: null when started, else why not.</summary>
    internal async Task<string?> StartAsync(ClaimsPrincipal actor, int total, CancellationToken cancellationToken)
    {
        await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
        var runningOn = await JobRuns.TryStartAsync(db, JobName, Instance.Name, actor.UserId(), actor.Identity?.Name, total,
            Time.GetUtcNow().UtcDateTime, Lease, cancellationToken);
        if (runningOn is not null)
        {
            return $"Another import is being read or stored (on {runningOn}); try again when it has finished.";
        }

        RunHere(resumed: false);
        return null;
    }

    protected override async Task<bool> RunBatchAsync(CancellationToken stopping)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        await using var db = await DbFactory.CreateDbContextAsync(stopping);
        if (!await JobRuns.RenewAsync(db, JobName, Instance.Name, now + Lease, stopping))
        {
            Close();
            return false;
        }

        var run = await db.ImportRuns.Where(r => r.State == ImportState.Checking || r.State == ImportState.Importing)
            .OrderBy(r => r.Id).FirstOrDefaultAsync(stopping);
        if (run is null)
        {
            Close();
            await JobRuns.FinishAsync(db, JobName, Instance.Name, now, null, stopping);
            return false;
        }

        try
        {
            return await RunBatchAsync(db, run, stopping);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            Close();
            var checking = run.State == ImportState.Checking;
            var fileRefused = ex is ImportFileException;
            db.ChangeTracker.Clear();
            var message = fileRefused ? ex.Message
                : checking ? $"Checking stopped: {Describe(ex)}. Check the file again."
                : $"The import stopped after {run.RowsDone:N0} rows: {Describe(ex)}. Resume it to go on where it stopped, or undo what it stored.";
            var state = checking ? (fileRefused ? ImportState.FileRefused : ImportState.Uploaded) : ImportState.Failed;
            await db.ImportRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.State, state).SetProperty(r => r.Error, Limit(message, 2000)), CancellationToken.None);
            await JobRuns.FinishAsync(db, JobName, Instance.Name, Time.GetUtcNow().UtcDateTime, fileRefused ? null : message, CancellationToken.None);
            if (state == ImportState.FileRefused)
            {
                files.Delete(run.Id);
                await audit.RecordAsync(Actor(run), AuditActions.ImportFileRefused, run.FileName, message, CancellationToken.None);
            }
            else
            {
                Logger.LogWarning(ex, "Import {Run} ({File}) stopped: {Message}", run.Id, run.FileName, message);
            }

            RaiseProgressChanged();
            return false;
        }
    }

    private async Task<bool> RunBatchAsync(LeadPortalDbContext db, ImportRun run, CancellationToken stopping)
    {
        var importing = run.State == ImportState.Importing;
        var cursor = Open(run);
        var read = new List<(ImportCandidate? Lead, ImportRowError? Error)>(BatchSize);
        string[]? cells = null;
        while (read.Count < BatchSize && (cells = cursor.Reader.Read()) is not null)
        {
            read.Add(ImportRows.Convert(cursor.Reader.Row, cells, cursor.Headers, cursor.Mapping, run.CreatedAt));
        }

        var finished = cells is null;
        var refusals = read.Where(r => r.Error is not null).Select(r => r.Error!).ToList();
        var candidates = read.Where(r => r.Lead is not null).Select(r => r.Lead!).ToList();
        var stored = await cursor.Dedupe.FindStoredAsync(db, candidates, stopping);
        var fresh = new List<ImportCandidate>();
        var repeats = new List<(ImportCandidate Row, long LeadId)>();
        var duplicates = 0;
        foreach (var candidate in candidates)
        {
            var own = ImportRows.OriginKey(run.Id, candidate.Row);
            if (stored.TryGetValue(candidate.Row, out var lead) && lead.OriginKey != own)
            {
                duplicates++;
                repeats.Add((candidate, lead.Id));
                cursor.Dedupe.RepeatInFile(candidate);
            }
            else if (cursor.Dedupe.RepeatInFile(candidate) is not null)
            {
                duplicates++;
            }
            else
            {
                fresh.Add(candidate);
            }
        }

        var updated = 0;
        if (importing)
        {
            // Outside the batch's transaction: on SQLite the writer's commit needs the write lock this one would hold.
            // A lead of this run stored before a crash answers as a repeat of its own key, and counts as imported.
            await Task.WhenAll(fresh.Select(c => writer.SubmitAsync(ImportRows.ToWork(c, run.Id, run.FileName), stopping)));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(stopping);
        if (importing && run.DuplicateMode == ImportDuplicateMode.FillEmpty && repeats.Count > 0)
        {
            updated = await FillEmptyAsync(db, repeats, stopping);
        }

        db.ImportRefusals.AddRange(refusals.Select(r => new ImportRefusal
        {
            ImportRunId = run.Id, Row = r.Row, Column = r.Column is null ? null : Limit(r.Column, 300), Reason = Limit(r.Reason, 1000),
        }));
        run.RowsDone = cursor.Reader.DataRows;
        run.Imported += fresh.Count;
        run.Duplicates += duplicates;
        run.Updated += updated;
        run.Refused += refusals.Count;
        var now = Time.GetUtcNow().UtcDateTime;
        if (finished)
        {
            run.TotalRows = cursor.Reader.DataRows;
            run.Error = null;
            if (importing)
            {
                run.State = ImportState.Imported;
                run.FinishedAt = now;
            }
            else
            {
                run.State = ImportState.Checked;
                run.CheckedAt = now;
            }

            await JobRuns.FinishAsync(db, JobName, Instance.Name, now, null, stopping);
        }

        await db.SaveChangesAsync(stopping);
        await transaction.CommitAsync(stopping);
        if (!finished)
        {
            return true;
        }

        Close();
        if (importing)
        {
            files.Delete(run.Id);
            await audit.RecordAsync(Actor(run), AuditActions.ImportFinished, run.FileName,
                $"{run.Imported:N0} imported, {run.Duplicates:N0} duplicates ({run.Updated:N0} filled in), {run.Refused:N0} refused", CancellationToken.None);
        }
        else
        {
            await audit.RecordAsync(Actor(run), AuditActions.ImportChecked, run.FileName,
                $"{run.TotalRows:N0} rows: {run.Imported:N0} new, {run.Duplicates:N0} duplicates, {run.Refused:N0} refused", CancellationToken.None);
        }

        RaiseProgressChanged();
        return false;
    }

    /// <summary>Fills the stored leads' empty fields from the rows that repeat them; how many leads changed.</summary>
    private static async Task<int> FillEmptyAsync(LeadPortalDbContext db, List<(ImportCandidate Row, long LeadId)> repeats, CancellationToken stopping)
    {
        var ids = repeats.Select(r => r.LeadId).Distinct().ToList();
        var leads = await db.Leads.Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, stopping);
        var changed = new HashSet<long>();
        foreach (var (row, id) in repeats)
        {
            if (!leads.TryGetValue(id, out var lead))
            {
                continue;
            }

            var from = row.Lead;
            var before = changed.Count;
            if (Fill(lead.FirstName, from.FirstName, v => lead.FirstName = v) | Fill(lead.LastName, from.LastName, v => lead.LastName = v)
                | Fill(lead.Company, from.Company, v => lead.Company = v) | Fill(lead.Title, from.Title, v => lead.Title = v)
                | Fill(lead.Country, from.Country, v => lead.Country = v) | Fill(lead.Description, from.Description, v => lead.Description = v)
                | Fill(lead.OfferTitle, from.OfferTitle, v => lead.OfferTitle = v))
            {
                changed.Add(id);
            }

            if (lead.Phone is null && from.Phone is not null)
            {
                (lead.Phone, lead.PhoneE164, lead.PhoneNational, lead.PhoneExtension, lead.PhoneType, lead.PhoneValidity) =
                    (from.Phone, from.PhoneE164, from.PhoneNational, from.PhoneExtension, from.PhoneType, from.PhoneValidity);
                changed.Add(id);
            }

            _ = before;
        }

        await db.SaveChangesAsync(stopping);
        return changed.Count;
    }

    private static bool Fill(string? current, string? value, Action<string> set)
    {
        if (!string.IsNullOrWhiteSpace(current) || string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        set(value);
        return true;
    }

    /// <summary>The open file of the run, read up to where the run got (rows before it feed only the in-file duplicate check).</summary>
    private Cursor Open(ImportRun run)
    {
        if (_cursor is { } open && open.RunId == run.Id && open.State == run.State && open.Reader.DataRows == run.RowsDone)
        {
            return open;
        }

        Close();
        var path = files.PathOf(run.Id);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"the uploaded file is no longer there ({path}); upload it again");
        }

        var reader = ImportCsv.Open(path, new CsvFormat(run.Encoding, run.Delimiter), importOptions.Value);
        var headers = JsonSerializer.Deserialize<List<string>>(run.HeadersJson) ?? [];
        var mapping = JsonSerializer.Deserialize<List<string?>>(run.MappingJson) ?? [];
        var cursor = new Cursor(run.Id, run.State, reader, headers, mapping, new ImportDedupe(run.DuplicateWindow));
        _cursor = cursor;
        while (reader.DataRows < run.RowsDone && reader.Read() is { } cells)
        {
            if (ImportRows.Convert(reader.Row, cells, headers, mapping, run.CreatedAt).Lead is { } earlier)
            {
                cursor.Dedupe.RepeatInFile(earlier);
            }
        }

        return cursor;
    }

    private void Close()
    {
        _cursor?.Reader.Dispose();
        _cursor = null;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Close();
    }

    internal static ClaimsPrincipal? Actor(ImportRun run) => run.CreatedById is null ? null
        : new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, run.CreatedById), new Claim(ClaimTypes.Name, run.CreatedBy ?? "")], "job"));

    private static string Describe(Exception ex) => ex is LeadNotStoredException stored ? "the store did not take the leads (" + stored.Message + ")" : ex.Message;

    private static string Limit(string text, int length) => text.Length > length ? text[..length] : text;

    private sealed record Cursor(long RunId, ImportState State, ImportCsvReader Reader, List<string> Headers, List<string?> Mapping, ImportDedupe Dedupe);
}
