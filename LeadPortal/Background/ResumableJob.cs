using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Background;

/// <summary>
/// A job started on demand that runs once across every instance (a <see cref="JobRun"/> row) in batches, each batch
/// committing its work with the run's checkpoint and a renewed lease. Every instance looks for a run whose lease ran out
/// (its instance died) and resumes it from the last committed batch; a clean stop lets the lease go at once. Subclasses
/// write only the start and one batch.
/// </summary>
public abstract class ResumableJob(
    IDbContextFactory<LeadPortalDbContext> dbFactory, InstanceIdentity instance, IOptions<JobOptions> options, TimeProvider time, ILogger logger)
    : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _local;

    /// <summary>Raised on this instance after each batch it commits (pages also poll, for runs on other instances).</summary>
    public event Action? ProgressChanged;

    /// <summary>The run on this instance, if any (tests wait for it).</summary>
    public Task? Current => _local;

    /// <summary>The run's <see cref="JobRun"/> row.</summary>
    protected abstract string RunName { get; }

    /// <summary>The run in the log's words ("the reprocessing run").</summary>
    protected abstract string RunDescription { get; }

    /// <summary>
    /// Whether a batch that throws ends the run with its error (true), or leaves it for this or another instance to take
    /// up again from the last committed batch when the lease runs out (false: a half-done job that only finishing helps).
    /// </summary>
    protected virtual bool FailEndsRun => true;

    protected IDbContextFactory<LeadPortalDbContext> DbFactory => dbFactory;

    protected InstanceIdentity Instance => instance;

    protected TimeProvider Time => time;

    protected ILogger Logger => logger;

    protected TimeSpan Lease => options.Value.LeaseDuration;

    /// <summary>One batch in one transaction with the run's checkpoint and lease; false when the run is over (or no longer ours).</summary>
    protected abstract Task<bool> RunBatchAsync(CancellationToken stopping);

    protected void RaiseProgressChanged() => ProgressChanged?.Invoke();

    /// <summary>Runs the started (or taken over) run on this instance, unless it already runs here.</summary>
    protected void RunHere(bool resumed)
    {
        lock (_gate)
        {
            if (_local is { IsCompleted: false })
            {
                return;
            }

            _local = Task.Run(() => RunAsync(resumed));
        }
    }

    /// <summary>Looks for runs whose instance went away, and resumes them here.</summary>
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
                    if (await JobRuns.TryTakeOverAsync(db, RunName, instance.Name, time.GetUtcNow().UtcDateTime, Lease, stoppingToken))
                    {
                        logger.LogWarning("The instance of {Run} stopped renewing its lease; resuming it here from the last committed batch.", RunDescription);
                        RunHere(resumed: true);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Looking for an orphaned {Run} failed; trying again shortly.", RunDescription);
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

    private async Task RunAsync(bool resumed)
    {
        var stopping = _stopping.Token;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (!await RunBatchAsync(stopping))
                {
                    return;
                }

                ProgressChanged?.Invoke();
            }

            await ReleaseAsync();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await ReleaseAsync();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Running {Run} failed{Resumed}{Then}.", RunDescription, resumed ? " (a resumed run)" : "",
                FailEndsRun ? "" : "; it is tried again from the last committed batch");
            if (FailEndsRun)
            {
                try
                {
                    await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                    await JobRuns.FinishAsync(db, RunName, instance.Name, time.GetUtcNow().UtcDateTime, ex.Message, CancellationToken.None);
                }
                catch (Exception finishing)
                {
                    logger.LogError(finishing, "Recording that {Run} failed failed; another instance resumes it when its lease runs out.", RunDescription);
                }
            }

            ProgressChanged?.Invoke();
        }
    }

    /// <summary>Stopping: the lease goes at once, so another instance resumes without waiting it out.</summary>
    private async Task ReleaseAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await JobRuns.ReleaseAsync(db, RunName, instance.Name, CancellationToken.None);
    }
}
