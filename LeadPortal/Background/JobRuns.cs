using System.ComponentModel.DataAnnotations;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Background;

public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// How long a running job's lease lasts without renewal (each batch renews it): after a crash, another instance
    /// resumes the job this long after the last batch. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// <see cref="JobRun"/> rows: each step is one conditional UPDATE, so two instances never both start, renew or take
/// over the same job.
/// </summary>
public static class JobRuns
{
    /// <summary>Makes the job's row if it is not there yet (two instances may both try: one wins, both carry on).</summary>
    public static async Task EnsureAsync(LeadPortalDbContext db, string name, CancellationToken cancellationToken)
    {
        if (!await db.JobRuns.AnyAsync(r => r.Name == name, cancellationToken))
        {
            db.JobRuns.Add(new JobRun { Name = name });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear(); // another instance made it at the same moment
            }
        }
    }

    /// <summary>Starts a run unless one is going: null when started, else the instance running it.</summary>
    public static async Task<string?> TryStartAsync(
        LeadPortalDbContext db, string name, string holder, string? byId, string? byName, int total, DateTime now, TimeSpan lease, CancellationToken cancellationToken)
    {
        await EnsureAsync(db, name, cancellationToken);

        var until = now + lease;
        var started = await db.JobRuns.Where(r => r.Name == name && !r.Running).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Running, true).SetProperty(r => r.Holder, holder).SetProperty(r => r.LeaseUntil, until)
            .SetProperty(r => r.StartedAt, now).SetProperty(r => r.StartedById, byId).SetProperty(r => r.StartedBy, byName)
            .SetProperty(r => r.FinishedAt, (DateTime?)null).SetProperty(r => r.Checkpoint, 0L).SetProperty(r => r.Total, total)
            .SetProperty(r => r.Processed, 0).SetProperty(r => r.Changed, 0).SetProperty(r => r.Unparsable, 0)
            .SetProperty(r => r.TakenOver, 0).SetProperty(r => r.Error, (string?)null), cancellationToken);
        return started == 1
            ? null
            : await db.JobRuns.Where(r => r.Name == name).Select(r => r.Holder ?? "another instance").SingleAsync(cancellationToken);
    }

    /// <summary>Renews this holder's lease; false when it no longer holds it (another instance took the job over).</summary>
    public static async Task<bool> RenewAsync(LeadPortalDbContext db, string name, string holder, DateTime until, CancellationToken cancellationToken) =>
        await db.JobRuns.Where(r => r.Name == name && r.Running && r.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntil, until), cancellationToken) == 1;

    /// <summary>Takes over a running job whose lease ran out (its instance died or stopped); true when this holder now has it.</summary>
    public static async Task<bool> TryTakeOverAsync(LeadPortalDbContext db, string name, string holder, DateTime now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var until = now + lease;
        return await db.JobRuns.Where(r => r.Name == name && r.Running && r.LeaseUntil < now)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Holder, holder).SetProperty(r => r.LeaseUntil, until)
                .SetProperty(r => r.TakenOver, r => r.TakenOver + 1), cancellationToken) == 1;
    }

    /// <summary>The names of running jobs whose lease ran out.</summary>
    public static Task<List<string>> OrphansAsync(LeadPortalDbContext db, DateTime now, CancellationToken cancellationToken) =>
        db.JobRuns.Where(r => r.Running && r.LeaseUntil < now).Select(r => r.Name).ToListAsync(cancellationToken);

    /// <summary>Ends this holder's run, with an error or without.</summary>
    public static Task FinishAsync(LeadPortalDbContext db, string name, string holder, DateTime now, string? error, CancellationToken cancellationToken) =>
        db.JobRuns.Where(r => r.Name == name && r.Running && r.Holder == holder).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Running, false).SetProperty(r => r.FinishedAt, now).SetProperty(r => r.Error, error)
            .SetProperty(r => r.Total, r => r.Processed > r.Total ? r.Processed : r.Total), cancellationToken);

    /// <summary>Lets the lease go at once (this instance is stopping): another instance resumes without waiting it out.</summary>
    public static Task ReleaseAsync(LeadPortalDbContext db, string name, string holder, CancellationToken cancellationToken) =>
        db.JobRuns.Where(r => r.Name == name && r.Running && r.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntil, DateTime.UnixEpoch), cancellationToken);
}
