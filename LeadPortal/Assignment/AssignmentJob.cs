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
    ILogger<AssignmentJob> logger) : ResumableJob(dbFactory, instance, options, time, logger)
{
    public const string JobName = "assignment-apply";
    public const int BatchSize = 200;

    /// <summary>How long a batch may wait for the dispatcher before the run stops with an error.</summary>
    private static readonly TimeSpan RoutingTimeout = TimeSpan.FromMinutes(5);

    protected override string RunName => JobName;

    protected override string RunDescription => "applying the assignment rules";

    public async Task<ApplyProgress> GetProgressAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
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
        await using (var db = await DbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.AssignmentRules.AnyAsync(cancellationToken))
            {
                return "There are no rules to apply yet.";
            }

            total = await db.Leads.CountAsync(l => l.OwnerId == null && !l.IsTest, cancellationToken);
            runningOn = await JobRuns.TryStartAsync(db, JobName, Instance.Name, actor.UserId(), actor.Identity?.Name, total,
                Time.GetUtcNow().UtcDateTime, Lease, cancellationToken);
        }

        if (runningOn is not null)
        {
            return runningOn == Instance.Name ? "The rules are already being applied on this instance." : $"The rules are already being applied on {runningOn}.";
        }

        await audit.RecordAsync(actor, AuditActions.AssignmentApplied, $"{total} unassigned leads", cancellationToken: cancellationToken);
        RunHere(resumed: false);
        RaiseProgressChanged();
        return null;
    }

    /// <summary>Queues one batch with the checkpoint, then waits for the dispatcher to route it; false when the run is over.</summary>
    protected override async Task<bool> RunBatchAsync(CancellationToken stopping)
    {
        List<long> ids;
        await using (var db = await DbFactory.CreateDbContextAsync(stopping))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(stopping);
            var now = Time.GetUtcNow().UtcDateTime;
            if (!await JobRuns.RenewAsync(db, JobName, Instance.Name, now + Lease, stopping))
            {
                Logger.LogWarning("This instance no longer holds the run applying the assignment rules; stopping here.");
                return false;
            }

            var checkpoint = await db.JobRuns.Where(r => r.Name == JobName).Select(r => r.Checkpoint).SingleAsync(stopping);
            ids = await db.Leads.Where(l => l.Id > checkpoint && l.OwnerId == null && !l.IsTest).OrderBy(l => l.Id).Select(l => l.Id).Take(BatchSize).ToListAsync(stopping);
            if (ids.Count == 0)
            {
                await JobRuns.FinishAsync(db, JobName, Instance.Name, now, null, stopping);
                await transaction.CommitAsync(stopping);
                RaiseProgressChanged();
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
        await using (var db = await DbFactory.CreateDbContextAsync(stopping))
        {
            var assigned = await db.Leads.CountAsync(l => ids.Contains(l.Id) && l.OwnerId != null, stopping);
            await db.JobRuns.Where(r => r.Name == JobName && r.Holder == Instance.Name)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Changed, r => r.Changed + assigned), stopping);
        }

        return true;
    }

    private async Task WaitUntilRoutedAsync(List<long> ids, CancellationToken stopping)
    {
        var deadline = Time.GetUtcNow() + RoutingTimeout;
        var first = ids[0];
        var last = ids[^1];
        while (true)
        {
            await using var db = await DbFactory.CreateDbContextAsync(stopping);
            if (!await db.OutboxEvents.AnyAsync(e => e.Kind == OutboxEventKind.RouteRequested && e.LeadId >= first && e.LeadId <= last, stopping))
            {
                return;
            }

            if (Time.GetUtcNow() > deadline)
            {
                throw new TimeoutException("The outbox dispatcher did not route the leads within 5 minutes; see its log.");
            }

            await JobRuns.RenewAsync(db, JobName, Instance.Name, Time.GetUtcNow().UtcDateTime + Lease, stopping);
            signals.Dispatch.Set();
            await Task.Delay(TimeSpan.FromMilliseconds(100), stopping);
        }
    }
}
