using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Background;

/// <summary>
/// Work done every <see cref="Interval"/> by one instance of however many share the store (a retention run, a purge).
/// Every instance looks each <see cref="CheckInterval"/> whether the run is due; the first to find it so takes the
/// <see cref="JobLease"/> for a short <see cref="RunLease"/>, renews it while it works, and when done sets the lease to
/// the next due time. So a holder that crashes mid-run is replaced within a few minutes (its short lease runs out), a
/// clean stop lets the lease go at once, and a finished run is not repeated until it is due again — on any instance.
/// </summary>
public abstract class LeasedTimerService(
    IDbContextFactory<LeadPortalDbContext> dbFactory, InstanceIdentity instance, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The store, for the work itself (subclasses use these rather than capturing their own copies).</summary>
    protected IDbContextFactory<LeadPortalDbContext> DbFactory => dbFactory;

    protected TimeProvider Time => time;

    /// <summary>The lease row's name, one per job.</summary>
    protected abstract string LeaseName { get; }

    /// <summary>How often the work runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>How long a run holds the lease without renewing it: a crashed holder's run is taken over this long after.</summary>
    protected virtual TimeSpan RunLease => TimeSpan.FromMinutes(2);

    /// <summary>How often each instance looks whether the run is due: also how soon after a crash another instance runs it.</summary>
    protected virtual TimeSpan CheckInterval => Interval < TimeSpan.FromMinutes(1) ? Interval : TimeSpan.FromMinutes(1);

    /// <summary>What the log says when a run fails (it is tried again when next due).</summary>
    protected abstract string FailureMessage { get; }

    /// <summary>One run. Call <paramref name="renew"/> between steps of long work: it extends the lease, and throws
    /// <see cref="OperationCanceledException"/> when another instance has taken the lease over.</summary>
    protected abstract Task RunAsync(Func<CancellationToken, Task> renew, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        try
        {
            do
            {
                await RunIfDueAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs the work here if it is due and no other instance holds it; true when it ran.</summary>
    public async Task<bool> RunIfDueAsync(CancellationToken stoppingToken)
    {
        DateTime started;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
            started = time.GetUtcNow().UtcDateTime;
            if (!await JobLeases.TryTakeDueAsync(db, LeaseName, instance.Name, RunLease, started, stoppingToken))
            {
                return false; // not due yet, or another instance is at it
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Looking whether {Job} is due failed; looking again in {Interval}.", LeaseName, CheckInterval);
            return false;
        }

        var finished = false;
        try
        {
            await RunAsync(RenewAsync, stoppingToken);
            finished = true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping mid-run: let the lease go, so another instance (or this one, restarted) runs it at once.
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await JobLeases.ReleaseAsync(db, LeaseName, instance.Name, CancellationToken.None);
            throw;
        }
        catch (LeaseLostException)
        {
            logger.LogWarning("Another instance took {Job} over; stopping it here.", LeaseName);
            return false;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "{Message} Trying again in {Interval}.", FailureMessage, Interval);
            finished = true;   // a failing run is not repeated every minute: it is due again at the next interval
        }

        if (finished)
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await JobLeases.RenewAsync(db, LeaseName, instance.Name, started + Interval, CancellationToken.None);
        }

        return true;
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await JobLeases.RenewAsync(db, LeaseName, instance.Name, time.GetUtcNow().UtcDateTime + RunLease, cancellationToken))
        {
            throw new LeaseLostException();
        }
    }

    private sealed class LeaseLostException : Exception;
}
