using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Admin;

public sealed record DeliveryRow(
    long Id, DateTime ReceivedAt, DeliveryOutcome Outcome, int StatusCode, string? Reason, string? KeyName,
    string? ClientIp, long BodySize, string? BodyStart, long? LeadId);

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
                e.ClientIp, e.BodySize, e.BodyStart, e.LeadId))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }
}

/// <summary>Deletes delivery log entries older than Intake:DeliveryLogRetentionDays, once at start and then hourly.</summary>
public sealed class DeliveryLogPurger(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    Microsoft.Extensions.Options.IOptions<Intake.IntakeOptions> options,
    TimeProvider time,
    ILogger<DeliveryLogPurger> logger) : BackgroundService
{
    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.DeliveryLogRetentionDays);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.DeliveryLog.Where(e => e.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var purged = await PurgeAsync(stoppingToken);
                if (purged > 0)
                {
                    logger.LogInformation("Purged {Count} delivery log entries older than {Days} days.", purged, options.Value.DeliveryLogRetentionDays);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Purging the delivery log failed; trying again in an hour.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
