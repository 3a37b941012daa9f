using System.Globalization;
using Azure;
using Azure.Data.Tables;
using LeadPortal.Background;
using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Notifications;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.TableIntake;

/// <summary>
/// Reads every due table source, one instance per source at a time (a <see cref="JobLease"/> per source). A read takes
/// the entities whose Timestamp is at or after the checkpoint less <see cref="TableIntakeOptions.Overlap"/> (the first
/// read: all of them, or those from <see cref="TableSource.Since"/>), a page at a time; each page goes through the lead
/// writer like posted leads, and only once it is committed does the source's row move on to the next page. A restart or
/// a take-over resumes at the page after the last committed one; a page read twice finds its leads stored (by their
/// PartitionKey and RowKey) and stores none again. The checkpoint moves when a read reaches the table's end.
/// </summary>
public sealed class TablePoller(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    LeadWriter writer,
    TableCredentials credentials,
    IOptionsMonitor<TableIntakeOptions> options,
    InstanceIdentity instance,
    AdminAlerts alerts,
    OutboxSignals signals,
    TableIntakeMetrics metrics,
    TimeProvider time,
    ILogger<TablePoller> logger) : BackgroundService
{
    private readonly Wakeup _wakeup = new();

    /// <summary>How long a read holds a source's lease without renewing it (it renews with every page).</summary>
    private TimeSpan LeaseDuration => TimeSpan.FromMinutes(2) + (options.CurrentValue.RequestTimeout * 2);

    public static string LeaseName(int sourceId) => $"table-source:{sourceId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Looks for due sources now rather than at the next check (an admin pressed "Read now" here).</summary>
    public void Wake() => _wakeup.Set();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Looking for table sources to read failed; looking again in {Interval}.", options.CurrentValue.CheckInterval);
            }

            try
            {
                await _wakeup.WaitAsync(options.CurrentValue.CheckInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads each source that is due and that no other instance is reading.</summary>
    public async Task PollDueAsync(CancellationToken cancellationToken)
    {
        List<TableSource> sources;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            sources = await db.TableSources.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken);
        }

        metrics.Observe(sources, time.GetUtcNow().UtcDateTime);
        foreach (var source in sources.Where(s => !s.Paused))
        {
            if (source.NextPollAt is { } due && due > time.GetUtcNow().UtcDateTime)
            {
                continue;
            }

            await PollAsync(source.Id, cancellationToken);
        }
    }

    private async Task PollAsync(int sourceId, CancellationToken stoppingToken)
    {
        var lease = LeaseName(sourceId);
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
        {
            if (!await JobLeases.TryTakeAsync(db, lease, instance.Name, LeaseDuration, time.GetUtcNow().UtcDateTime, stoppingToken))
            {
                return; // another instance is reading it
            }
        }

        try
        {
            await ReadAsync(sourceId, lease, stoppingToken);
        }
        finally
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await JobLeases.ReleaseAsync(db, lease, instance.Name, CancellationToken.None);
        }
    }

    private async Task ReadAsync(int sourceId, string lease, CancellationToken stoppingToken)
    {
        TableSource source;
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
        {
            // Read again under the lease: another instance may have just finished this source.
            var row = await db.TableSources.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sourceId, stoppingToken);
            if (row is null || row.Paused || row.NextPollAt > time.GetUtcNow().UtcDateTime)
            {
                return;
            }

            source = row;
        }

        var settings = options.CurrentValue;
        try
        {
            var client = TableClients.Create(source.CredentialKind, credentials.CredentialFor(source), source.Table, settings.RequestTimeout);
            if (source.RunStartedAt is null)
            {
                source.RunStartedAt = time.GetUtcNow().UtcDateTime;
                source.RunFrom = From(source, settings.Overlap);
                await UpdateAsync(sourceId, s => s
                    .SetProperty(x => x.RunStartedAt, source.RunStartedAt)
                    .SetProperty(x => x.RunFrom, source.RunFrom)
                    .SetProperty(x => x.RunContinuation, (string?)null)
                    .SetProperty(x => x.RunNewest, (DateTime?)null)
                    .SetProperty(x => x.RunRead, 0)
                    .SetProperty(x => x.RunImported, 0), stoppingToken);
                source.RunContinuation = null;
                source.RunNewest = null;
            }

            var filter = source.RunFrom is { } from
                ? TableClient.CreateQueryFilter($"Timestamp ge {new DateTimeOffset(from, TimeSpan.Zero)}")
                : null;
            var newest = source.RunNewest;
            var pages = client.QueryAsync<TableEntity>(filter, settings.PageSize, cancellationToken: stoppingToken)
                .AsPages(source.RunContinuation, settings.PageSize);
            await foreach (var page in pages)
            {
                var works = page.Values.Select(e => TableLeads.ToWork(source, e)).ToList();
                // Not the stopping token: once queued, a page's leads are committed (the writer drains before it stops).
                var results = await Task.WhenAll(works.Select(w => writer.SubmitAsync(w, CancellationToken.None)));
                var imported = results.Count(r => !r.Duplicate);
                foreach (var entity in page.Values)
                {
                    if (entity.Timestamp is { } stamp && (newest is null || stamp.UtcDateTime > newest))
                    {
                        newest = stamp.UtcDateTime;
                    }
                }

                var next = page.ContinuationToken;
                var read = works.Count;
                await UpdateAsync(sourceId, s => s
                    .SetProperty(x => x.RunContinuation, next)
                    .SetProperty(x => x.RunNewest, newest)
                    .SetProperty(x => x.RunRead, x => x.RunRead + read)
                    .SetProperty(x => x.RunImported, x => x.RunImported + imported)
                    .SetProperty(x => x.ImportedTotal, x => x.ImportedTotal + imported)
                    .SetProperty(x => x.LastAttemptAt, time.GetUtcNow().UtcDateTime), stoppingToken);
                metrics.Imported(source.Name, imported);

                await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                if (!await JobLeases.RenewAsync(db, lease, instance.Name, time.GetUtcNow().UtcDateTime + LeaseDuration, stoppingToken))
                {
                    logger.LogWarning("Another instance took table source {Source} over; stopping its read here.", source.Name);
                    return;
                }
            }

            var now = time.GetUtcNow().UtcDateTime;
            var checkpoint = newest is { } seen && (source.Checkpoint is null || seen > source.Checkpoint) ? seen : source.Checkpoint;
            await UpdateAsync(sourceId, s => s
                .SetProperty(x => x.Checkpoint, checkpoint)
                .SetProperty(x => x.HistoryDone, true)
                .SetProperty(x => x.RunStartedAt, (DateTime?)null)
                .SetProperty(x => x.RunFrom, (DateTime?)null)
                .SetProperty(x => x.RunContinuation, (string?)null)
                .SetProperty(x => x.RunNewest, (DateTime?)null)
                .SetProperty(x => x.LastSuccessAt, now)
                .SetProperty(x => x.LastAttemptAt, now)
                .SetProperty(x => x.FailingSince, (DateTime?)null)
                .SetProperty(x => x.LastError, (string?)null)
                .SetProperty(x => x.Failures, 0)
                .SetProperty(x => x.NextPollAt, now + source.PollInterval), CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was committed is recorded; the next start resumes at the page after it.
        }
        catch (Exception ex)
        {
            await FailAsync(source, ex, settings, stoppingToken);
        }
    }

    /// <summary>Where a new read starts: the checkpoint less the overlap, never before <see cref="TableSource.Since"/>.</summary>
    public static DateTime? From(TableSource source, TimeSpan overlap)
    {
        var fromCheckpoint = source.Checkpoint - overlap;
        return (fromCheckpoint, source.Since) switch
        {
            (null, var since) => since,
            ({ } checkpoint, null) => checkpoint,
            ({ } checkpoint, { } since) => checkpoint > since ? checkpoint : since,
        };
    }

    private async Task FailAsync(TableSource source, Exception error, TableIntakeOptions settings, CancellationToken stoppingToken)
    {
        var (reason, retryAfter) = Describe(source, error, settings, time.GetUtcNow());
        var now = time.GetUtcNow().UtcDateTime;
        var failures = source.Failures + 1;
        var delay = Backoff.Delay(failures, settings.RetryBaseDelay, settings.MaxRetryDelay);
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked < settings.MaxRetryDelay ? asked : settings.MaxRetryDelay;
        }

        var failingSince = source.FailingSince ?? now;
        if (error is RequestFailedException or TableSourceException or LeadNotStoredException)
        {
            logger.LogWarning("Reading table source {Source} failed: {Reason} Trying again in {Delay}.", source.Name, reason, delay);
        }
        else
        {
            logger.LogWarning(error, "Reading table source {Source} failed: {Reason} Trying again in {Delay}.", source.Name, reason, delay);
        }

        try
        {
            await UpdateAsync(source.Id, s => s
                .SetProperty(x => x.FailingSince, failingSince)
                .SetProperty(x => x.LastError, reason)
                .SetProperty(x => x.Failures, failures)
                .SetProperty(x => x.LastAttemptAt, now)
                .SetProperty(x => x.NextPollAt, now + delay), CancellationToken.None);

            if (settings.FailureAlert > TimeSpan.Zero && now - failingSince >= settings.FailureAlert)
            {
                await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                var queued = await alerts.QueueAsync(db, $"table-source:{source.Id}:{failingSince.Ticks}", $"reading leads from {source.Name} fails",
                    $"LeadPortal cannot read the Azure Table of source \"{source.Name}\" since {failingSince:yyyy-MM-dd HH:mm} UTC: {reason} " +
                    "Leads written to the table meanwhile are read once it works again; none is lost.",
                    "/admin/sources", "Open the sources page", now, stoppingToken);
                if (queued > 0)
                {
                    await db.SaveChangesAsync(stoppingToken);
                    signals.Mail.Set();
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Recording the failure of table source {Source} failed.", source.Name);
        }
    }

    /// <summary>A failure in words an admin acts on (never the credential), and how long the service asked us to wait.</summary>
    public static (string Reason, TimeSpan? RetryAfter) Describe(TableSource source, Exception error, TableIntakeOptions settings, DateTimeOffset now) => error switch
    {
        TableSourceException known => (known.Message, null),
        RequestFailedException { Status: 429 or 503 } busy => ($"The storage service is busy and asked us to wait (HTTP {busy.Status}{Code(busy)}); reading goes on when it lets us.", RetryAfter(busy, now)),
        RequestFailedException { Status: 401 or 403 } refused => ($"The storage account refused the credential (HTTP {refused.Status}{Code(refused)}): check the account key in the connection string, or that the SAS URL allows read and query on the table and has not expired.", null),
        RequestFailedException { Status: 404 } missing => ($"The table \"{source.Table}\" is not in the storage account (HTTP 404{Code(missing)}): check the table name; Partner Center creates it when it writes its first lead.", null),
        RequestFailedException { Status: 0 } unreachable => ($"The table service at {source.Endpoint ?? "the configured address"} cannot be reached: {(unreachable.InnerException ?? unreachable).Message}", null),
        RequestFailedException other => ($"The table service answered HTTP {other.Status}{Code(other)}.", RetryAfter(other, now)),
        TaskCanceledException or TimeoutException => ($"The table service did not answer within {settings.RequestTimeout.TotalSeconds:0} s.", null),
        LeadNotStoredException notStored => ($"Leads read from the table could not be stored ({notStored.Message}); the same page is read again.", null),
        _ => ($"Reading failed: {error.Message}", null),
    };

    private static string Code(RequestFailedException error) => string.IsNullOrEmpty(error.ErrorCode) ? "" : $" {error.ErrorCode}";

    private static TimeSpan? RetryAfter(RequestFailedException error, DateTimeOffset now)
    {
        if (error.GetRawResponse() is not { } response)
        {
            return null;
        }

        var headers = response.Headers;
        if (headers.TryGetValue("x-ms-retry-after-ms", out var ms) && double.TryParse(ms, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (headers.TryGetValue("Retry-After", out var value))
        {
            if (int.TryParse(value, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var wait = at - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }

    private async Task UpdateAsync(int sourceId, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<TableSource>> set, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.TableSources.Where(s => s.Id == sourceId).ExecuteUpdateAsync(set, cancellationToken);
    }
}
