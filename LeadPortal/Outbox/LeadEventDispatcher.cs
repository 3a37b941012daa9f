using LeadPortal.Background;
using LeadPortal.Data;
using LeadPortal.Leads;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Outbox;

/// <summary>An event with its lead, for the features that turn events into outbox rows.</summary>
public sealed record LeadEventItem(OutboxEvent Event, Lead Lead);

/// <summary>
/// A feature's part in dispatching (mail, forwarding): adds its outbox rows for a batch of events to the context, which
/// the dispatcher saves in one transaction with the events' deletion. It must not add a row that already exists.
/// </summary>
public interface ILeadEventHandler
{
    Task HandleAsync(LeadPortalDbContext db, IReadOnlyList<LeadEventItem> items, DateTime now, CancellationToken cancellationToken);
}

/// <summary>
/// Turns <see cref="OutboxEvent"/>s into mail and forwarding rows, a batch per transaction, on one instance at a time
/// (a lease). Woken when the intake writer commits leads; polls as a safety net.
/// </summary>
public sealed class LeadEventDispatcher(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    IEnumerable<ILeadEventHandler> handlers,
    OutboxSignals signals,
    LeadFeed feed,
    InstanceIdentity instance,
    Microsoft.Extensions.Options.IOptions<JobOptions> jobs,
    TimeProvider time,
    ILogger<LeadEventDispatcher> logger) : BackgroundService
{
    public const string LeaseName = "outbox-dispatch";
    public const int BatchSize = 200;

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = feed.Subscribe(_ => signals.Dispatch.Set());
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DispatchAsync(stoppingToken) < BatchSize)
                {
                    await signals.Dispatch.WaitAsync(PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Dispatching lead events to mail and forwarding failed; they stay queued. Retrying in {Delay}.", ErrorPause);
                await Task.Delay(ErrorPause, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Lets the lease go on a clean stop, so that a restarted or other instance dispatches at once instead of waiting it
    /// out (<see cref="JobOptions.LeaseDuration"/>). After a crash the lease runs out by itself.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await JobLeases.ReleaseAsync(db, LeaseName, instance.Name, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The dispatch lease could not be let go on stop; another instance takes over when it runs out.");
        }
    }

    /// <summary>Dispatches one batch of events; returns how many there were (0 when another instance holds the lease).</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (!await db.OutboxEvents.AnyAsync(cancellationToken)
            || !await JobLeases.TryTakeAsync(db, LeaseName, instance.Name, jobs.Value.LeaseDuration, now, cancellationToken))
        {
            return 0;
        }

        var events = await db.OutboxEvents.OrderBy(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (events.Count == 0)
        {
            return 0;
        }

        var leadIds = events.Select(e => e.LeadId).Distinct().ToList();
        var leads = await db.Leads.AsNoTracking().Where(l => leadIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        // A lead deleted before its event was dispatched has nothing left to announce.
        var items = events.Where(e => leads.ContainsKey(e.LeadId)).Select(e => new LeadEventItem(e, leads[e.LeadId])).ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var handler in handlers)
        {
            await handler.HandleAsync(db, items, now, cancellationToken);
        }

        db.OutboxEvents.RemoveRange(events);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        signals.Mail.Set();
        signals.Forwarding.Set();
        return events.Count;
    }
}
