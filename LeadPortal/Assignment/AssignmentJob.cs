using System.Security.Claims;
using LeadPortal.Accounts;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Background;
using LeadPortal.Data;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Assignment;

public sealed record ApplyProgress(bool Running, int Total, int Processed, int Assigned, DateTime? StartedAt, DateTime? FinishedAt, string? StartedBy, string? Error)
{
    public static readonly ApplyProgress None = new(false, 0, 0, 0, null, null, null, null);

    public double Percent => Total == 0 ? (FinishedAt is null ? 0 : 100) : Math.Min(100, 100.0 * Processed / Total);
}

/// <summary>
/// "Apply the rules to the unassigned leads": a <see cref="JobRun"/> that hands those leads, a batch at a time, to the
/// outbox dispatcher as <see cref="OutboxEventKind.RouteRequested"/> events and waits for each batch to be routed. The
/// dispatcher does the routing, as for a new lead, so round-robin cursors have one writer and every assignment gets its
/// activity and mail. Each batch commits with the run's checkpoint and lease; another instance resumes a run whose
/// instance died (this class, on every instance, looks for such runs).
/// </summary>
public sealed class AssignmentJob(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    OutboxSignals signals,
    AuditLog audit,
    InstanceIdentity instance,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<AssignmentJob> logger) : BackgroundService
{
    public const string JobName = "assignment-apply";
    public const int BatchSize = 200;

    /// <summary>How long a batch may wait for the dispatcher before the run stops with an error.</summary>
    private static readonly TimeSpan RoutingTimeout = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _local;

    /// <summary>Raised on this instance after each batch (pages also poll, for runs on other instances).</summary>
    public event Action? ProgressChanged;

    /// <summary>The run on this instance, if any (tests wait for it).</summary>
    public Task? Current => _local;

    private TimeSpan Lease => options.Value.LeaseDuration;

    public async Task<ApplyProgress> GetProgressAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Name == JobName, cancellationToken);
        return run is null || run.StartedAt == default
            ? ApplyProgress.None
            : new ApplyProgress(run.Running, run.Total, run.Processed, run.Changed, run.StartedAt, run.FinishedAt, run.StartedBy, run.Error);
    }

    /// <summary>Starts a run: null when started, else why not.</summary>
    public async Task<string?> StartAsync(ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        string? runningOn;
        int total;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.AssignmentRules.AnyAsync(cancellationToken))
            {
                return "There are no rules to apply yet.";
            }

            total = await db.Leads.CountAsync(l => l.OwnerId == null && !l.IsTest, cancellationToken);
            runningOn = await JobRuns.TryStartAsync(db, JobName, instance.Name, actor.UserId(), actor.Identity?.Name, total,
                time.GetUtcNow().UtcDateTime, Lease, cancellationToken);
        }

        if (runningOn is not null)
        {
            return runningOn == instance.Name ? "The rules are already being applied on this instance." : $"The rules are already being applied on {runningOn}.";
        }

        await audit.RecordAsync(actor, AuditActions.AssignmentApplied, $"{total} unassigned leads", cancellationToken: cancellationToken);
        RunHere();
        ProgressChanged?.Invoke();
        return null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromTicks(Math.Max(Lease.Ticks / 3, TimeSpan.FromMilliseconds(200).Ticks));
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (_local is { IsCompleted: false })
                {
                    continue;
                }

                try
                {
                    await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                    if (await JobRuns.TryTakeOverAsync(db, JobName, instance.Name, time.GetUtcNow().UtcDateTime, Lease, stoppingToken))
                    {
                        logger.LogWarning("The run applying the assignment rules lost its instance; resuming it here from the last committed batch.");
                        RunHere();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Looking for an orphaned run applying the assignment rules failed; trying again shortly.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
        if (_local is { } local)
        {
            await local.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private void RunHere()
    {
        lock (_gate)
        {
            if (_local is { IsCompleted: false })
            {
                return;
            }

            _local = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            while (await RunBatchAsync(stopping))
            {
                ProgressChanged?.Invoke();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await using var release = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await JobRuns.ReleaseAsync(release, JobName, instance.Name, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Applying the assignment rules failed.");
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                await JobRuns.FinishAsync(db, JobName, instance.Name, time.GetUtcNow().UtcDateTime, ex.Message, CancellationToken.None);
            }
            catch (Exception finishing)
            {
                logger.LogError(finishing, "Recording the failure failed; another instance resumes the run when its lease runs out.");
            }

            ProgressChanged?.Invoke();
        }
    }

    /// <summary>Queues one batch with the checkpoint, then waits for the dispatcher to route it; false when the run is over.</summary>
    private async Task<bool> RunBatchAsync(CancellationToken stopping)
    {
        List<long> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(stopping))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(stopping);
            var now = time.GetUtcNow().UtcDateTime;
            if (!await JobRuns.RenewAsync(db, JobName, instance.Name, now + Lease, stopping))
            {
                logger.LogWarning("This instance no longer holds the run applying the assignment rules; stopping here.");
                return false;
            }

            var checkpoint = await db.JobRuns.Where(r => r.Name == JobName).Select(r => r.Checkpoint).SingleAsync(stopping);
            ids = await db.Leads.Where(l => l.Id > checkpoint && l.OwnerId == null && !l.IsTest).OrderBy(l => l.Id).Select(l => l.Id).Take(BatchSize).ToListAsync(stopping);
            if (ids.Count == 0)
            {
                await JobRuns.FinishAsync(db, JobName, instance.Name, now, null, stopping);
                await transaction.CommitAsync(stopping);
                ProgressChanged?.Invoke();
                return false;
            }

            db.OutboxEvents.AddRange(ids.Select(id => new OutboxEvent { Kind = OutboxEventKind.RouteRequested, LeadId = id, CreatedAt = now }));
            await db.SaveChangesAsync(stopping);
            var last = ids[^1];
            var count = ids.Count;
            await db.JobRuns.Where(r => r.Name == JobName).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Checkpoint, last).SetProperty(r => r.Processed, r => r.Processed + count), stopping);
            await transaction.CommitAsync(stopping);
        }

        signals.Dispatch.Set();
        await WaitUntilRoutedAsync(ids, stopping);
        await using (var db = await dbFactory.CreateDbContextAsync(stopping))
        {
            var assigned = await db.Leads.CountAsync(l => ids.Contains(l.Id) && l.OwnerId != null, stopping);
            await db.JobRuns.Where(r => r.Name == JobName && r.Holder == instance.Name)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Changed, r => r.Changed + assigned), stopping);
        }

        return true;
    }

    private async Task WaitUntilRoutedAsync(List<long> ids, CancellationToken stopping)
    {
        var deadline = time.GetUtcNow() + RoutingTimeout;
        var first = ids[0];
        var last = ids[^1];
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(stopping);
            if (!await db.OutboxEvents.AnyAsync(e => e.Kind == OutboxEventKind.RouteRequested && e.LeadId >= first && e.LeadId <= last, stopping))
            {
                return;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException("The outbox dispatcher did not route the leads within 5 minutes; see its log.");
            }

            await JobRuns.RenewAsync(db, JobName, instance.Name, time.GetUtcNow().UtcDateTime + Lease, stopping);
            signals.Dispatch.Set();
            await Task.Delay(TimeSpan.FromMilliseconds(100), stopping);
        }
    }
}
