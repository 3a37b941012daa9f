using System.Security.Claims;
using System.Text.Json;
using LeadPortal.Accounts;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Import;

/// <summary>A column of the file, the field it fills and its first values.</summary>
public sealed record ImportColumn(int Index, string Header, string? Field, IReadOnlyList<string> Samples);

/// <summary>A row as the import would take it (or why not).</summary>
public sealed record ImportPreviewRow(int Row, string? Name, string? Email, string? Company, string? Offer, string? Action, DateTime? ReceivedAt, string? Error);

/// <summary>The mapping step: the run, its columns and a preview of its first rows; Error when the file cannot be read so.</summary>
public sealed record ImportMappingStep(ImportRun Run, IReadOnlyList<ImportColumn> Columns, IReadOnlyList<ImportPreviewRow> Preview, string? Error);

/// <summary>An imported lead Undo left, because someone worked it.</summary>
public sealed record KeptLead(long Id, string Name, string Why);

public sealed record UndoResult(int Removed, IReadOnlyList<KeptLead> Kept, string? Error);

/// <summary>
/// The import's steps, for the page: upload, format and column mapping, check (a dry run), import, report and undo. The
/// reading itself runs in <see cref="ImportJob"/>.
/// </summary>
public sealed class ImportService(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    ImportFiles files,
    ImportJob job,
    AuditLog audit,
    IOptions<ImportOptions> options,
    TimeProvider time)
{
    private const int PreviewRows = 5;

    public ImportOptions Options => options.Value;

    /// <summary>Saves the upload, reads its format and header row and makes the run: its id, or why the file cannot be imported.</summary>
    public async Task<(long? RunId, string? Error)> UploadAsync(Stream upload, string fileName, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        string path;
        long bytes;
        string sha;
        try
        {
            (path, bytes, sha) = await files.SaveAsync(upload, cancellationToken);
        }
        catch (ImportTooLargeException ex)
        {
            return (null, ex.Message);
        }
        catch (IOException ex)
        {
            // The browser's stream refuses more than the size it was opened for: the same limit, in its words.
            return (null, ex.Message.Contains("exceeds", StringComparison.OrdinalIgnoreCase) ? new ImportTooLargeException(options.Value.MaxFileBytes).Message
                : $"The upload broke off ({ex.Message}); upload the file again.");
        }

        try
        {
            var format = ImportCsv.Detect(path);
            List<string> headers;
            using (var reader = ImportCsv.Open(path, format, options.Value))
            {
                headers = [.. reader.Headers];
            }

            var name = Path.GetFileName(fileName.Replace('\\', '/'));
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var run = new ImportRun
            {
                FileName = name.Length > 260 ? name[..260] : name,
                FileBytes = bytes,
                FileSha256 = sha,
                Encoding = format.Encoding,
                Delimiter = format.Delimiter,
                HeadersJson = JsonSerializer.Serialize(headers),
                MappingJson = JsonSerializer.Serialize(AutoMap(headers)),
                DuplicateWindow = options.Value.DuplicateWindow,
                State = ImportState.Uploaded,
                CreatedAt = time.GetUtcNow().UtcDateTime,
                CreatedById = actor.UserId(),
                CreatedBy = actor.Identity?.Name,
            };
            db.ImportRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            files.Claim(path, run.Id);
            return (run.Id, null);
        }
        catch (ImportFileException ex)
        {
            ImportFiles.TryDelete(path);
            await audit.RecordAsync(actor, AuditActions.ImportFileRefused, fileName, ex.Message, CancellationToken.None);
            return (null, ex.Message);
        }
        catch
        {
            ImportFiles.TryDelete(path);
            throw;
        }
    }

    /// <summary>Per header, the field it maps to by itself (aliases), each field at most once.</summary>
    public List<string?> AutoMap(IReadOnlyList<string> headers)
    {
        var used = new HashSet<string>();
        return [.. headers.Select(h => ImportFields.ForHeader(h, options.Value.Aliases) is { } field && used.Add(field) ? field : null)];
    }

    public async Task<ImportRun?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ImportRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    public async Task<List<ImportRun>> RecentAsync(int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ImportRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(take).ToListAsync(cancellationToken);
    }

    public async Task<List<ImportRefusal>> RefusalsAsync(long id, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ImportRefusals.AsNoTracking().Where(r => r.ImportRunId == id).OrderBy(r => r.Row).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>Every refusal of a run, in row order, read as the report is written.</summary>
    public async IAsyncEnumerable<ImportRefusal> AllRefusalsAsync(long id, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await foreach (var refusal in db.ImportRefusals.AsNoTracking().Where(r => r.ImportRunId == id).OrderBy(r => r.Row).ThenBy(r => r.Id)
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return refusal;
        }
    }

    /// <summary>The mapping step for a run: its columns with their first values, and its first rows as they would import.</summary>
    public async Task<ImportMappingStep?> SetupAsync(long id, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is not { } run)
        {
            return null;
        }

        var headers = JsonSerializer.Deserialize<List<string>>(run.HeadersJson) ?? [];
        var mapping = JsonSerializer.Deserialize<List<string?>>(run.MappingJson) ?? [];
        var samples = headers.Select(_ => new List<string>()).ToList();
        var preview = new List<ImportPreviewRow>();
        string? error = null;
        try
        {
            using var reader = ImportCsv.Open(files.PathOf(id), new CsvFormat(run.Encoding, run.Delimiter), options.Value);
            while (preview.Count < PreviewRows && reader.Read() is { } cells)
            {
                for (var i = 0; i < samples.Count && i < cells.Length; i++)
                {
                    if (cells[i].Length > 0 && samples[i].Count < 3)
                    {
                        samples[i].Add(cells[i].Length > 40 ? cells[i][..40] + "…" : cells[i]);
                    }
                }

                var (lead, refused) = ImportRows.Convert(reader.Row, cells, headers, mapping, run.CreatedAt);
                preview.Add(lead is { Lead: var l }
                    ? new ImportPreviewRow(lead.Row, Name(l.FirstName, l.LastName), l.Email, l.Company, l.OfferTitle ?? l.OfferId,
                        LeadActions.ShortLabel(l.ActionCode), lead.ReceivedAt, null)
                    : new ImportPreviewRow(refused!.Row, null, null, null, null, null, null, refused.Describe()));
            }
        }
        catch (ImportFileException ex)
        {
            error = ex.Message;
        }
        catch (FileNotFoundException)
        {
            error = "The uploaded file is no longer there: upload it again.";
        }

        var columns = headers.Select((h, i) => new ImportColumn(i, ImportCsvReader.ColumnName(headers, i), i < mapping.Count ? mapping[i] : null, samples[i])).ToList();
        return new ImportMappingStep(run, columns, preview, error);
    }

    /// <summary>Reads the file again with another encoding or separator (its headers and mapping start again): null, or why not.</summary>
    public async Task<string?> ChangeFormatAsync(long id, CsvFormat format, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.ImportRuns.SingleAsync(r => r.Id == id, cancellationToken);
        if (run.State is not (ImportState.Uploaded or ImportState.Checked))
        {
            return "This import has gone past choosing its format.";
        }

        try
        {
            using var reader = ImportCsv.Open(files.PathOf(id), format, options.Value);
            var headers = reader.Headers.ToList();
            run.HeadersJson = JsonSerializer.Serialize(headers);
            run.MappingJson = JsonSerializer.Serialize(AutoMap(headers));
        }
        catch (ImportFileException ex)
        {
            return ex.Message;
        }

        run.Encoding = format.Encoding;
        run.Delimiter = format.Delimiter;
        run.State = ImportState.Uploaded;
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Saves the choices of the mapping step; a checked run must be checked again.</summary>
    public async Task SaveChoicesAsync(long id, IReadOnlyList<string?> mapping, ImportDuplicateMode mode, bool notify, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.ImportRuns.Where(r => r.Id == id && (r.State == ImportState.Uploaded || r.State == ImportState.Checked)).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.MappingJson, JsonSerializer.Serialize(mapping)).SetProperty(r => r.DuplicateMode, mode)
            .SetProperty(r => r.Notify, notify).SetProperty(r => r.State, ImportState.Uploaded), cancellationToken);
    }

    /// <summary>Starts the dry run: every row read, checked and compared with the stored leads; nothing stored. Null, or why not.</summary>
    public async Task<string?> CheckAsync(long id, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.ImportRuns.SingleAsync(r => r.Id == id, cancellationToken);
        var mapping = JsonSerializer.Deserialize<List<string?>>(run.MappingJson) ?? [];
        if (!mapping.Contains(ImportFields.Email))
        {
            return "Map a column to E-mail: every lead needs an e-mail address.";
        }

        if (run.State is not (ImportState.Uploaded or ImportState.Checked))
        {
            return "This import is already past its check.";
        }

        await db.ImportRefusals.Where(r => r.ImportRunId == id).ExecuteDeleteAsync(cancellationToken);
        await Reset(db, id, ImportState.Checking, cancellationToken);
        return await StartOrUndoAsync(db, id, run.State, actor, cancellationToken);
    }

    /// <summary>Starts the import of a checked run, or resumes one that stopped. Null, or why not.</summary>
    public async Task<string?> ImportAsync(long id, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.ImportRuns.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken);
        if (run.State == ImportState.Failed)
        {
            // Resumed: the counts so far stand; the rows after them are read again from where the run got.
            await db.ImportRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.State, ImportState.Importing).SetProperty(r => r.Error, (string?)null), cancellationToken);
        }
        else if (run.State == ImportState.Checked)
        {
            await db.ImportRefusals.Where(r => r.ImportRunId == id).ExecuteDeleteAsync(cancellationToken);
            await Reset(db, id, ImportState.Importing, cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            await db.ImportRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ImportStartedAt, now), cancellationToken);
        }
        else
        {
            return "Only a checked import can be started.";
        }

        var refused = await StartOrUndoAsync(db, id, run.State, actor, cancellationToken);
        if (refused is null)
        {
            await audit.RecordAsync(actor, AuditActions.ImportStarted, run.FileName,
                $"{run.TotalRows:N0} rows; duplicates {(run.DuplicateMode == ImportDuplicateMode.Skip ? "skipped" : "fill empty fields")}; notifications {(run.Notify ? "on" : "off")}"
                + (run.State == ImportState.Failed ? $"; resumed after row {run.RowsDone + 1:N0}" : ""), cancellationToken);
        }

        return refused;
    }

    private async Task<string?> StartOrUndoAsync(LeadPortalDbContext db, long id, ImportState before, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        var total = await db.ImportRuns.Where(r => r.Id == id).Select(r => r.TotalRows).SingleAsync(cancellationToken);
        if (await job.StartAsync(actor, total, cancellationToken) is { } refused)
        {
            await db.ImportRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.State, before), cancellationToken);
            return refused;
        }

        return null;
    }

    private static Task Reset(LeadPortalDbContext db, long id, ImportState state, CancellationToken cancellationToken) =>
        db.ImportRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.State, state).SetProperty(r => r.RowsDone, 0).SetProperty(r => r.Imported, 0).SetProperty(r => r.Duplicates, 0)
            .SetProperty(r => r.Updated, 0).SetProperty(r => r.Refused, 0).SetProperty(r => r.Error, (string?)null), cancellationToken);

    /// <summary>Leaves an import that stored nothing; its file is deleted.</summary>
    public async Task CancelAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cancelled = await db.ImportRuns.Where(r => r.Id == id && (r.State == ImportState.Uploaded || r.State == ImportState.Checked))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, ImportState.Cancelled), cancellationToken);
        if (cancelled == 1)
        {
            files.Delete(id);
        }
    }

    /// <summary>
    /// Removes the import's leads, except those someone worked (status, owner's notes, calls, tasks, export, response,
    /// CRM id): those are listed and kept. Filled-in fields of leads stored before the import stay.
    /// </summary>
    public async Task<UndoResult> UndoAsync(long id, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.ImportRuns.SingleAsync(r => r.Id == id, cancellationToken);
        if (run.State is not (ImportState.Imported or ImportState.Failed))
        {
            return new UndoResult(0, [], "Only an import that stored leads can be undone.");
        }

        var prefix = ImportRows.OriginPrefix(id);
        var leads = db.Leads.Where(l => l.OriginKey != null && l.OriginKey.StartsWith(prefix));
        var worked = await leads
            .Where(l => l.Status != LeadStatus.New || l.FirstResponseAt != null || l.CrmId != null || l.PartnerCenterAcceptedAt != null
                || db.LeadActivities.Any(a => a.LeadId == l.Id && a.UserId != null) || l.Tasks.Any() || db.ExportRunLeads.Any(e => e.LeadId == l.Id))
            .Select(l => new { l.Id, l.FirstName, l.LastName, l.Email, l.Status, Exported = db.ExportRunLeads.Any(e => e.LeadId == l.Id) })
            .ToListAsync(cancellationToken);
        var keep = worked.Select(w => w.Id).ToHashSet();
        var ids = await leads.Select(l => l.Id).ToListAsync(cancellationToken);
        var remove = ids.Where(i => !keep.Contains(i)).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var removed = 0;
        foreach (var chunk in remove.Chunk(500))
        {
            removed += await LeadPortal.Privacy.PersonalData.DeleteLeadsAsync(db, chunk, cancellationToken);
        }

        run.State = ImportState.Undone;
        run.UndoneAt = time.GetUtcNow().UtcDateTime;
        run.UndoneBy = actor.Identity?.Name;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        files.Delete(id);
        var kept = worked.Select(w => new KeptLead(w.Id, Name(w.FirstName, w.LastName) is { Length: > 0 } n ? n : w.Email ?? $"Lead {w.Id}",
            w.Status != LeadStatus.New ? $"status {w.Status}" : w.Exported ? "exported" : "worked on")).ToList();
        await audit.RecordAsync(actor, AuditActions.ImportUndone, run.FileName,
            $"{removed:N0} leads removed" + (kept.Count > 0 ? $"; {kept.Count:N0} kept because someone worked them: " + string.Join(", ", kept.Take(20).Select(k => k.Id)) : ""),
            cancellationToken);
        return new UndoResult(removed, kept, null);
    }

    private static string Name(string? first, string? last) => string.Join(' ', new[] { first?.Trim(), last?.Trim() }.Where(p => !string.IsNullOrEmpty(p)));

    public async Task<List<SavedImportMapping>> MappingsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SavedImportMappings.AsNoTracking().OrderBy(m => m.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Saves (or replaces) a named mapping, header to field.</summary>
    public async Task<string?> SaveMappingAsync(string name, IReadOnlyList<string> headers, IReadOnlyList<string?> mapping, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
        {
            return "Give the mapping a name of at most 100 characters.";
        }

        var byHeader = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Count && i < mapping.Count; i++)
        {
            if (mapping[i] is { } field)
            {
                byHeader[headers[i]] = field;
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var saved = await db.SavedImportMappings.SingleOrDefaultAsync(m => m.Name == name, cancellationToken);
        if (saved is null)
        {
            db.SavedImportMappings.Add(saved = new SavedImportMapping { Name = name });
        }

        saved.MappingJson = JsonSerializer.Serialize(byHeader);
        saved.UpdatedAt = time.GetUtcNow().UtcDateTime;
        saved.UpdatedBy = actor.Identity?.Name;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.ImportMappingSaved, name, $"{byHeader.Count} columns", cancellationToken);
        return null;
    }

    /// <summary>A saved mapping applied to a file's headers (headers it does not name are not imported).</summary>
    public static List<string?> Apply(SavedImportMapping saved, IReadOnlyList<string> headers)
    {
        var byHeader = JsonSerializer.Deserialize<Dictionary<string, string>>(saved.MappingJson) ?? [];
        var lookup = new Dictionary<string, string>(byHeader, StringComparer.OrdinalIgnoreCase);
        return [.. headers.Select(h => lookup.TryGetValue(h, out var field) && ImportFields.All.Any(f => f.Name == field) ? field : null)];
    }
}
