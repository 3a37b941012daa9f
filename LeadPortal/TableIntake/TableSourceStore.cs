using System.Security.Claims;
using LeadPortal.Audit;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.TableIntake;

/// <summary>The sources page's row: settings and health, never the credential.</summary>
public sealed record TableSourceRow(
    int Id, string Name, string Table, string? Endpoint, TableCredentialKind CredentialKind, TimeSpan PollInterval, DateTime? Since,
    bool FromConfiguration, bool Paused, DateTime? Checkpoint, bool HistoryDone, DateTime? RunStartedAt, long RunRead, long RunImported,
    long ImportedTotal, DateTime? LastSuccessAt, DateTime? LastAttemptAt, DateTime? FailingSince, string? LastError, DateTime? NextPollAt);

/// <summary>What an admin enters to add a source.</summary>
public sealed class TableSourceInput
{
    public string? Name { get; set; }
    public TableCredentialKind CredentialKind { get; set; }
    public string? Credential { get; set; }
    public string? Table { get; set; } = TableSourceSettings.DefaultTable;
    public int PollMinutes { get; set; } = 1;
    public DateTime? Since { get; set; }
}

/// <summary>Table sources: the page's reads and commands (with their audit), and the start-up sync from configuration.</summary>
public sealed class TableSourceStore(
    IDbContextFactory<LeadPortalDbContext> dbFactory, TableCredentials credentials, TablePoller poller, AuditLog audit, TimeProvider time,
    ILogger<TableSourceStore> logger)
{
    public async Task<IReadOnlyList<TableSourceRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.TableSources.AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new TableSourceRow(s.Id, s.Name, s.Table, s.Endpoint, s.CredentialKind, s.PollInterval, s.Since, s.FromConfiguration, s.Paused,
                s.Checkpoint, s.HistoryDone, s.RunStartedAt, s.RunRead, s.RunImported, s.ImportedTotal, s.LastSuccessAt, s.LastAttemptAt,
                s.FailingSince, s.LastError, s.NextPollAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Adds a source (its credential encrypted); the problems in the input when it is not added.</summary>
    public async Task<IReadOnlyList<string>> AddAsync(TableSourceInput input, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        var credential = input.Credential?.Trim() ?? "";
        var settings = new TableSourceSettings(input.Name,
            input.CredentialKind == TableCredentialKind.ConnectionString ? credential : null,
            input.CredentialKind == TableCredentialKind.SasUrl ? credential : null,
            input.Table, TimeSpan.FromMinutes(input.PollMinutes), input.Since);
        var problems = settings.Problems()
            .Select(p => p.Replace("ConnectionString or SasUrl", "the connection string or the SAS URL", StringComparison.Ordinal))
            .ToList();
        if (input.PollMinutes is < 1 or > 1440)
        {
            problems.Add("Read every: between 1 and 1,440 minutes.");
        }

        var name = input.Name?.Trim() ?? "";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (name.Length > 0 && await db.TableSources.AnyAsync(s => s.Name.ToLower() == name.ToLower(), cancellationToken))
        {
            problems.Add($"There is already a source named \"{name}\".");
        }

        if (problems.Count > 0)
        {
            return problems.Distinct().ToList();
        }

        var now = time.GetUtcNow().UtcDateTime;
        db.TableSources.Add(new TableSource
        {
            Name = name,
            Table = settings.TableName,
            CredentialKind = settings.Kind,
            CredentialProtected = credentials.Protect(credential),
            Endpoint = TableClients.Endpoint(settings.Kind, credential),
            PollInterval = settings.Interval,
            Since = input.Since is { } since ? DateTime.SpecifyKind(since, DateTimeKind.Utc) : null,
            CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.TableSourceCreated, name, $"Table {settings.TableName}", cancellationToken);
        poller.Wake();
        return [];
    }

    public async Task<string?> DeleteAsync(int id, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var source = await db.TableSources.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (source is null)
        {
            return "This source no longer exists.";
        }

        if (source.FromConfiguration)
        {
            return $"\"{source.Name}\" is declared in configuration; remove it there (it is then paused, and can be deleted here).";
        }

        db.TableSources.Remove(source);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.TableSourceDeleted, source.Name, null, cancellationToken);
        return null;
    }

    public async Task<string?> SetPausedAsync(int id, bool paused, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var source = await db.TableSources.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (source is null)
        {
            return "This source no longer exists.";
        }

        if (source.FromConfiguration)
        {
            return $"\"{source.Name}\" is declared in configuration; it is read while it is declared there.";
        }

        source.Paused = paused;
        source.NextPollAt = paused ? source.NextPollAt : null;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, paused ? AuditActions.TableSourcePaused : AuditActions.TableSourceResumed, source.Name, null, cancellationToken);
        poller.Wake();
        return null;
    }

    /// <summary>Makes the source due now (also a failing one waiting out its backoff), on whichever instance looks first.</summary>
    public async Task ReadNowAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.TableSources.Where(s => s.Id == id && !s.Paused)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextPollAt, (DateTime?)null), cancellationToken);
        poller.Wake();
    }

    /// <summary>
    /// Brings the table in step with <c>TableIntake:Sources</c>, by name: declared ones are added or updated (their credential
    /// stays in configuration), and ones no longer declared are paused, not deleted, so their checkpoint and leads stay.
    /// </summary>
    public async Task SyncConfigurationAsync(TableIntakeOptions options, CancellationToken cancellationToken = default)
    {
        try
        {
            await SyncOnceAsync(options, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance starting at the same moment added the same name first: sync against its rows.
            await SyncOnceAsync(options, cancellationToken);
        }
    }

    private async Task SyncOnceAsync(TableIntakeOptions options, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.TableSources.ToListAsync(cancellationToken);
        var declared = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var configured in options.Sources.Where(s => !string.IsNullOrWhiteSpace(s?.Name)))
        {
            var settings = new TableSourceSettings(configured.Name, configured.ConnectionString, configured.SasUrl, configured.Table, configured.PollInterval, configured.Since);
            var name = configured.Name!.Trim();
            declared.Add(name);
            var row = stored.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
            if (row is null)
            {
                row = new TableSource { Name = name, CreatedAt = now };
                db.TableSources.Add(row);
            }
            else if (!row.FromConfiguration)
            {
                logger.LogWarning("Table source {Name} is now declared in configuration, which replaces the one made in the app.", name);
            }

            var since = configured.Since?.UtcDateTime;
            if (row.Id != 0 && (row.Table != settings.TableName || row.Since != since))
            {
                // Another table, or another start: a new first read (what it finds again is recognised and not stored twice).
                row.Checkpoint = null;
                row.HistoryDone = false;
                row.RunStartedAt = null;
                row.RunFrom = null;
                row.RunContinuation = null;
                row.RunNewest = null;
            }

            row.Table = settings.TableName;
            row.CredentialKind = settings.Kind;
            row.CredentialProtected = null;
            row.Endpoint = TableClients.Endpoint(settings.Kind, settings.Credential);
            row.PollInterval = settings.Interval;
            row.Since = since;
            row.FromConfiguration = true;
            row.Paused = false;
        }

        foreach (var row in stored.Where(s => s.FromConfiguration && !declared.Contains(s.Name)))
        {
            row.Paused = true;
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
