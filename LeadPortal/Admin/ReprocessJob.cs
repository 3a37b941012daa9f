using System.Security.Claims;
using LeadPortal.Accounts;
using LeadPortal.Audit;
using LeadPortal.Background;
using LeadPortal.Data;
using LeadPortal.Outbox;
using LeadPortal.Quality;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Admin;

public sealed record ReprocessProgress(
    bool Running, int Total, int Processed, int Changed, int Unparsable, DateTime? StartedAt, DateTime? FinishedAt, string? StartedBy, string? Error,
    string? RunningOn = null, int TakenOver = 0)
{
    public static readonly ReprocessProgress None = new(false, 0, 0, 0, 0, null, null, null, null);

    public double Percent => Total == 0 ? (FinishedAt is null ? 0 : 100) : Math.Min(100, 100.0 * Processed / Total);
}

/// <summary>
/// Re-derives every lead's parsed columns from its stored raw body (after a parser fix), with its campaign and quality
/// rating (<see cref="LeadFacts"/>): also the backfill that gives leads stored before those existed their values, and what
/// applies a quality rule switched on or off to the stored leads. In the background, in small
/// transactions so the intake endpoint keeps committing between them. One run at a time across every instance (a
/// <see cref="JobRun"/> row): each batch's changes commit together with how far the run got and a renewed lease, so a
/// run whose instance dies is resumed by another (this class, on every instance, looks for such runs) from the last
/// committed batch, and no lead is counted twice. Progress is read from that row, so every instance shows it.
/// Leads still unassigned are also put through the assignment rules (by the dispatcher, after each batch).
/// </summary>
public sealed class ReprocessJob(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    AuditLog audit,
    OutboxSignals signals,
    InstanceIdentity instance,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<ReprocessJob> logger) : ResumableJob(dbFactory, instance, options, time, logger)
{
    public const string JobName = "reprocess";
    public const int BatchSize = 500;

    protected override string RunName => JobName;

    protected override string RunDescription => "the reprocessing run";

    public async Task<ReprocessProgress> GetProgressAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Name == JobName, cancellationToken);
        return run is null || run.StartedAt == default
            ? ReprocessProgress.None
            : new ReprocessProgress(run.Running, run.Total, run.Processed, run.Changed, run.Unparsable, run.StartedAt, run.FinishedAt, run.StartedBy, run.Error,
                run.Running ? run.Holder : null, run.TakenOver);
    }

    /// <summary>How many leads a run would read now, for the confirmation.</summary>
    public async Task<int> CountLeadsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Leads.CountAsync(cancellationToken);
    }

    /// <summary>Starts a run: null when started, else why not ("already running on …").</summary>
    public async Task<string?> StartAsync(ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        string? runningOn;
        await using (var db = await DbFactory.CreateDbContextAsync(cancellationToken))
        {
            var total = await db.Leads.CountAsync(cancellationToken);
            runningOn = await JobRuns.TryStartAsync(db, JobName, Instance.Name, actor.UserId(), actor.Identity?.Name, total,
                Time.GetUtcNow().UtcDateTime, Lease, cancellationToken);
        }

        if (runningOn is not null)
        {
            return runningOn == Instance.Name ? "A reprocessing run is already going on this instance." : $"A reprocessing run is already going on {runningOn}.";
        }

        await audit.RecordAsync(actor, AuditActions.ReprocessStarted, "All leads", cancellationToken: cancellationToken);
        RunHere(resumed: false);
        RaiseProgressChanged();
        return null;
    }

    /// <summary>One batch in one transaction with the run's checkpoint and lease; false when the run is over (or no longer ours).</summary>
    protected override async Task<bool> RunBatchAsync(CancellationToken stopping)
    {
        await using var db = await DbFactory.CreateDbContextAsync(stopping);
        await using var transaction = await db.Database.BeginTransactionAsync(stopping);
        var now = Time.GetUtcNow().UtcDateTime;
        if (!await JobRuns.RenewAsync(db, JobName, Instance.Name, now + Lease, stopping))
        {
            Logger.LogWarning("This instance no longer holds the reprocessing run (another one took it over); stopping here.");
            return false;
        }

        var checkpoint = await db.JobRuns.Where(r => r.Name == JobName).Select(r => r.Checkpoint).SingleAsync(stopping);
        var batch = await db.Leads.Include(l => l.Payload).Where(l => l.Id > checkpoint).OrderBy(l => l.Id).Take(BatchSize).ToListAsync(stopping);
        if (batch.Count == 0)
        {
            await JobRuns.FinishAsync(db, JobName, Instance.Name, now, null, stopping);
            var run = await db.JobRuns.AsNoTracking().SingleAsync(r => r.Name == JobName, stopping);
            await transaction.CommitAsync(stopping);
            var actor = run.StartedById is null ? null
                : new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, run.StartedById), new Claim(ClaimTypes.Name, run.StartedBy ?? "")], "job"));
            await audit.RecordAsync(actor, AuditActions.ReprocessFinished, "All leads",
                $"{run.Processed} leads read, {run.Changed} changed, {run.Unparsable} could not be parsed"
                + (run.TakenOver > 0 ? $"; resumed by another instance {run.TakenOver} time(s)" : ""), CancellationToken.None);
            RaiseProgressChanged();
            return false;
        }

        // A lead read from a table keeps the entity as its raw body: parsed the way it was when it was read.
        var (changed, unparsable) = await LeadFacts.RecomputeAsync(db, batch, stopping, lead => lead.Origin == LeadOrigin.Table
            ? (LeadPortal.TableIntake.TableLeads.TryParseStored(lead.Payload?.Body ?? "", out var fromTable), fromTable)
            : (LeadPortal.Intake.LeadPayloadParser.TryParse(System.Text.Encoding.UTF8.GetBytes(lead.Payload?.Body ?? ""), out var posted, out _), posted));

        // The assignment rules also see the leads still unassigned, with their columns as just re-read: queued for the
        // dispatcher, which routes them as it routes new leads (one writer for the round-robin cursors) and skips a lead
        // that has an owner by then, so a manual owner is never overridden. Not Partner Center's validation lead.
        var unassigned = batch.Where(l => l.OwnerId is null && !l.IsTest).Select(l => l.Id).ToList();
        var routing = unassigned.Count > 0 && await db.AssignmentRules.AnyAsync(stopping);
        if (routing)
        {
            db.OutboxEvents.AddRange(unassigned.Select(id => new OutboxEvent { Kind = OutboxEventKind.RouteRequested, LeadId = id, CreatedAt = now }));
        }

        await db.SaveChangesAsync(stopping);
        var last = batch[^1].Id;
        var count = batch.Count;
        await db.JobRuns.Where(r => r.Name == JobName).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Checkpoint, last).SetProperty(r => r.Processed, r => r.Processed + count)
            .SetProperty(r => r.Changed, r => r.Changed + changed).SetProperty(r => r.Unparsable, r => r.Unparsable + unparsable), stopping);
        await transaction.CommitAsync(stopping);
        if (routing)
        {
            signals.Dispatch.Set();
        }

        return true;
    }

}
