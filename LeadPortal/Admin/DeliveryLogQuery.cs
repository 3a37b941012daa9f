using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Admin;

public sealed record DeliveryRow(
    long Id, DateTime ReceivedAt, DeliveryOutcome Outcome, int StatusCode, string? Reason, string? KeyName,
    string? ClientIp, long BodySize, string? BodyStart, long? LeadId, int Count);

/// <summary>The delivery log, newest first, a page at a time.</summary>
public sealed class DeliveryLogQuery(IDbContextFactory<LeadPortalDbContext> dbFactory)
{
    public async Task<(IReadOnlyList<DeliveryRow> Rows, int Total)> GetPageAsync(
        DeliveryOutcome? outcome, DateTime? fromUtc, DateTime? toUtc, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = db.DeliveryLog.AsNoTracking();
        if (outcome is { } o)
        {
            entries = entries.Where(e => e.Outcome == o);
        }

        if (fromUtc is { } from)
        {
            entries = entries.Where(e => e.ReceivedAt >= from);
        }

        if (toUtc is { } to)
        {
            entries = entries.Where(e => e.ReceivedAt < to);
        }

        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries.OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.Id)
            .Skip(Math.Max(0, page) * pageSize).Take(Math.Clamp(pageSize, 1, 200))
            .Select(e => new DeliveryRow(
                e.Id, e.ReceivedAt, e.Outcome, e.StatusCode, e.Reason,
                db.IntakeKeys.Where(k => k.Id == e.IntakeKeyId).Select(k => k.Name).FirstOrDefault(),
                e.ClientIp, e.BodySize, e.BodyStart, e.LeadId, e.Count))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }
}

/// <summary>
/// Keeps the delivery log within Intake:DeliveryLogRetentionDays and Intake:DeliveryLogMaxMegabytes, once at start and then
/// hourly. It deletes the oldest entries a thousand at a time with a pause between, on its own connection: the lead
/// writer waits at most one small batch for the lock, never a whole purge.
/// </summary>
public sealed class DeliveryLogPurger(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    Microsoft.Extensions.Options.IOptions<Intake.IntakeOptions> options,
    Background.InstanceIdentity instance,
    TimeProvider time,
    ILogger<DeliveryLogPurger> logger) : Background.LeasedTimerService(dbFactory, instance, time, logger)
{
    public const string PurgeLease = "delivery-log-purge";

    public const int BatchSize = 1_000;

    /// <summary>What a row costs besides its text (columns, index entries): enough for the size cap to be an honest bound.</summary>
    public const int RowOverheadBytes = 120;

    private static readonly TimeSpan BatchPause = TimeSpan.FromMilliseconds(20);

    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = Time.GetUtcNow().UtcDateTime.AddDays(-options.Value.DeliveryLogRetentionDays);
        await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
        var purged = 0;
        int deleted;
        do
        {
            deleted = await db.DeliveryLog.Where(e => e.ReceivedAt < cutoff).OrderBy(e => e.ReceivedAt).Take(BatchSize)
                .ExecuteDeleteAsync(cancellationToken);
            purged += deleted;
            await PauseAsync(deleted, cancellationToken);
        }
        while (deleted == BatchSize);

        var limit = options.Value.DeliveryLogMaxMegabytes * 1024L * 1024L;
        var size = await db.DeliveryLog.SumAsync(e => RowOverheadBytes + (long)(e.Reason ?? "").Length + (e.BodyStart ?? "").Length, cancellationToken);
        while (size > limit)
        {
            var oldest = await db.DeliveryLog.OrderBy(e => e.Id).Take(BatchSize)
                .Select(e => new { e.Id, Bytes = RowOverheadBytes + (long)(e.Reason ?? "").Length + (e.BodyStart ?? "").Length })
                .ToListAsync(cancellationToken);
            if (oldest.Count == 0)
            {
                break;
            }

            // Just as many of the oldest as bring the log under the cap.
            var upTo = oldest[^1].Id;
            var freed = 0L;
            foreach (var row in oldest)
            {
                freed += row.Bytes;
                if (size - freed <= limit)
                {
                    upTo = row.Id;
                    break;
                }
            }

            deleted = await db.DeliveryLog.Where(e => e.Id <= upTo).ExecuteDeleteAsync(cancellationToken);
            purged += deleted;
            size -= oldest.TakeWhile(r => r.Id <= upTo).Sum(r => r.Bytes);
            await PauseAsync(deleted, cancellationToken);
        }

        return purged;
    }

    private Task PauseAsync(int deleted, CancellationToken cancellationToken) =>
        deleted == 0 ? Task.CompletedTask : Task.Delay(BatchPause, Time, cancellationToken);

    // Hourly, on one instance (a crashed holder is replaced within minutes).
    protected override string LeaseName => PurgeLease;

    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override string FailureMessage => "Purging the delivery log failed.";

    protected override async Task RunAsync(Func<CancellationToken, Task> renew, CancellationToken cancellationToken)
    {
        var purged = await PurgeAsync(cancellationToken);
        if (purged > 0)
        {
            logger.LogInformation("Purged {Count} delivery log entries (older than {Days} days or beyond {Megabytes} MB).",
                purged, options.Value.DeliveryLogRetentionDays, options.Value.DeliveryLogMaxMegabytes);
        }
    }
}
