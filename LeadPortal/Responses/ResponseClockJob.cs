using System.Security.Claims;
using LeadPortal.Accounts;
using LeadPortal.Background;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Responses;

public sealed record RetimeProgress(bool Running, int Total, int Processed, int Changed, DateTime? StartedAt, DateTime? FinishedAt, string? StartedBy, string? Error)
{
    public static readonly RetimeProgress None = new(false, 0, 0, 0, null, null, null, null);

    public double Percent => Total == 0 ? (FinishedAt is null ? 0 : 100) : Math.Min(100, 100.0 * Processed / Total);
}

/// <summary>
/// Re-times the unanswered leads after a clock setting changed: a <see cref="JobRun"/> that walks them by id in batches,
/// each batch's new due times committed with the checkpoint and a renewed lease (another instance resumes a run whose
/// instance died). Each batch reads the settings in force, and a save during a run sends the run back to the first
/// lead, so every lead ends on the last settings saved. Answered leads keep the due time they had: it is their history.
/// </summary>
public sealed class ResponseClockJob(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    IOptions<ResponseClockSettings> configured,
    InstanceIdentity instance,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<ResponseClockJob> logger) : ResumableJob(dbFactory, instance, options, time, logger)
{
    public const string JobName = "response-clocks-retime";
    public const int BatchSize = 1000;

    protected override string RunName => JobName;

    protected override string RunDescription => "re-timing the open leads' response clocks";

    public async Task<RetimeProgress> GetProgressAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Name == JobName, cancellationToken);
        return run is null || run.StartedAt == default
            ? RetimeProgress.None
            : new RetimeProgress(run.Running, run.Total, run.Processed, run.Changed, run.StartedAt, run.FinishedAt, run.StartedBy, run.Error);
    }

    /// <summary>Starts a run, or sends a running one back to the first lead; how many leads it re-times.</summary>
    public async Task<int> StartOrRestartAsync(ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        int total;
        await using (var db = await DbFactory.CreateDbContextAsync(cancellationToken))
        {
            total = await Open(db).CountAsync(cancellationToken);
            var now = Time.GetUtcNow().UtcDateTime;
            if (await JobRuns.TryStartAsync(db, JobName, Instance.Name, actor.UserId(), actor.Identity?.Name, total, now, Lease, cancellationToken) is not null)
            {
                // Running (here or elsewhere): from the first lead again, with the settings just saved.
                await db.JobRuns.Where(r => r.Name == JobName && r.Running).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Checkpoint, 0L).SetProperty(r => r.Processed, 0).SetProperty(r => r.Changed, 0)
                    .SetProperty(r => r.Total, total).SetProperty(r => r.StartedById, actor.UserId()).SetProperty(r => r.StartedBy, actor.Identity?.Name), cancellationToken);
                RaiseProgressChanged();
                return total;
            }
        }

        RunHere(resumed: false);
        RaiseProgressChanged();
        return total;
    }

    protected override async Task<bool> RunBatchAsync(CancellationToken stopping)
    {
        await using var db = await DbFactory.CreateDbContextAsync(stopping);
        await using var transaction = await db.Database.BeginTransactionAsync(stopping);
        var now = Time.GetUtcNow().UtcDateTime;
        if (!await JobRuns.RenewAsync(db, JobName, Instance.Name, now + Lease, stopping))
        {
            Logger.LogWarning("This instance no longer holds the run re-timing the response clocks; stopping here.");
            return false;
        }

        var checkpoint = await db.JobRuns.Where(r => r.Name == JobName).Select(r => r.Checkpoint).SingleAsync(stopping);
        var batch = await Open(db).Where(l => l.Id > checkpoint).OrderBy(l => l.Id).Take(BatchSize)
            .Select(l => new { l.Id, l.ActionCode, l.IsTest, l.ReceivedAt, l.ResponseDueAt }).ToListAsync(stopping);
        if (batch.Count == 0)
        {
            await JobRuns.FinishAsync(db, JobName, Instance.Name, now, null, stopping);
            await transaction.CommitAsync(stopping);
            RaiseProgressChanged();
            return false;
        }

        var clock = ResponseClock.From((await ResponseTimes.ReadAsync(db, configured.Value, stopping)).Settings);
        var changed = 0;
        foreach (var lead in batch)
        {
            var due = clock.DueAt(lead.ActionCode, lead.IsTest, lead.ReceivedAt);
            if (due != lead.ResponseDueAt)
            {
                // Only the one column: a stub, so the batch never reads or rewrites the leads' other columns.
                var stub = new Lead { Id = lead.Id, ResponseDueAt = lead.ResponseDueAt };
                db.Leads.Attach(stub);
                stub.ResponseDueAt = due;
                changed++;
            }
        }

        await db.SaveChangesAsync(stopping);
        var last = batch[^1].Id;
        var count = batch.Count;
        // Unless a save sent the run back to the start meanwhile: then this batch is done again with the new settings.
        await db.JobRuns.Where(r => r.Name == JobName && r.Checkpoint == checkpoint).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Checkpoint, last).SetProperty(r => r.Processed, r => r.Processed + count)
            .SetProperty(r => r.Changed, r => r.Changed + changed), stopping);
        await transaction.CommitAsync(stopping);
        return true;
    }

    /// <summary>The leads whose clock may still run: nobody has answered them, and they are not Partner Center's test leads.</summary>
    private static IQueryable<Lead> Open(LeadPortalDbContext db) => db.Leads.Where(l => l.FirstResponseAt == null && !l.IsTest);
}
