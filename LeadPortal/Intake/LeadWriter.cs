using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Shared;
using Microsoft.Extensions.Options;

namespace LeadPortal.Intake;

/// <summary>A request for the writer: a lead to store (with its delivery record) or a delivery record alone.</summary>
public sealed class IntakeWork
{
    public required DeliveryLogEntry Delivery { get; init; }
    public ParsedLead? Lead { get; init; }
    public string? RawBody { get; init; }
    public byte[]? BodyHash { get; init; }

    /// <summary>Posted to the endpoint (the delivery is logged), or read from a table or a file (it is not).</summary>
    public LeadOrigin Origin { get; init; }

    /// <summary>The table source's or the file's name, for a lead that was not posted.</summary>
    public string? OriginName { get; init; }

    /// <summary>
    /// What identifies the lead where it came from (see <see cref="Lead.OriginKey"/>): a work with one is a repeat when a
    /// lead with that key is stored, whatever the window or the body, and is not compared by body.
    /// </summary>
    public string? OriginKey { get; init; }

    internal TaskCompletionSource<IntakeResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <param name="LeadId">The stored lead, or for a duplicate the first one with the same body.</param>
public readonly record struct IntakeResult(long? LeadId, bool Duplicate);

/// <summary>The writer could not commit the work (database locked, disk full, shutting down); nothing of it is stored.</summary>
/// <param name="StoreUnavailable">
/// The store itself refused (unreachable, locked, full, shutting down), not this lead: it may be kept in the spool.
/// </param>
public sealed class LeadNotStoredException(string message, Exception? inner = null, bool storeUnavailable = false) : Exception(message, inner)
{
    public bool StoreUnavailable { get; } = storeUnavailable;
}

/// <summary>How the writer's last commits went, for health checks.</summary>
/// <param name="FailingSince">When commits began to fail (null while they succeed).</param>
public sealed record WriterStatus(DateTime? LastCommitAt, DateTime? FailingSince, string? LastError);

/// <summary>
/// Grouped commits: every request waiting at a moment goes into one transaction, and each caller's task
/// completes only after that transaction is durably committed. One fsync serves many leads, so intake
/// keeps up with the web server instead of with the disk.
/// </summary>
public sealed class LeadWriter(
    StoreConnection store,
    StoreDialect dialect,
    IOptions<IntakeOptions> options,
    LeadFeed feed,
    LeadPortal.Background.InstanceIdentity instance,
    TimeProvider time,
    ILogger<LeadWriter> logger) : BackgroundService
{
    private readonly Channel<IntakeWork> _queue = Channel.CreateBounded<IntakeWork>(
        new BoundedChannelOptions(50_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private static readonly TimeSpan SearchIdleDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan SearchRetryDelay = TimeSpan.FromSeconds(30);

    private DbConnection? _connection;
    private readonly LogThrottle _failureLog = new(time, LogThrottle.DefaultInterval);

    // New leads not yet in the free-text index (1 at start: check once for leads left from before a restart), where the
    // provider indexes outside the lead's commit.
    private long _searchPending = dialect.SearchIndexBlock > 0 ? 1 : 0;
    private DateTimeOffset _searchRetryAt;
    private IntakeBatch? _statements;

    private volatile WriterStatus _status = new(null, null, null);

    public WriterStatus Status => _status;

    /// <summary>Requests waiting for the next grouped commit.</summary>
    public int QueueLength => _queue.Reader.Count;

    /// <summary>Queues the work and completes once it is committed; throws <see cref="LeadNotStoredException"/> when it cannot be.</summary>
    public async Task<IntakeResult> SubmitAsync(IntakeWork work, CancellationToken cancellationToken = default)
    {
        try
        {
            await _queue.Writer.WriteAsync(work, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new LeadNotStoredException("the server is shutting down", storeUnavailable: true);
        }

        return await work.Completion.Task;
    }

    /// <summary>
    /// Adds a delivery log row to a coming grouped commit without waiting for it (refusals: nobody is owed an answer
    /// that depends on it). Dropped when the queue is full or closed: a flood must not hold back leads.
    /// </summary>
    public void Enqueue(DeliveryLogEntry entry)
    {
        var work = new IntakeWork { Delivery = entry };
        // Nobody awaits it: observe a failure so it is not reported as unobserved.
        _ = work.Completion.Task.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        _queue.Writer.TryWrite(work);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Take nothing new, but commit everything already accepted before the process ends.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run();
                finished.TrySetResult();
            }
            catch (Exception error)
            {
                finished.TrySetException(error);
            }
        })
        { IsBackground = true, Name = "LeadWriter" };
        thread.Start();
        return finished.Task;
    }

    private void Run()
    {
        var batch = new List<IntakeWork>(options.Value.MaxBatchSize);
        try
        {
            while (true)
            {
                var waiting = _queue.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
                if (_searchPending > 0 && !waiting.Wait(SearchIdleDelay))
                {
                    // Nothing to store for a moment: catch the free-text index up.
                    IndexSearch(whileIdle: true);
                }

                if (!waiting.GetAwaiter().GetResult())
                {
                    break;
                }

                batch.Clear();
                while (batch.Count < options.Value.MaxBatchSize && _queue.Reader.TryRead(out var work))
                {
                    batch.Add(work);
                }

                CommitAsync(batch).GetAwaiter().GetResult();
                if (dialect.SearchIndexBlock > 0)
                {
                    _searchPending += batch.Count(w => w.Lead is not null);
                    if (_searchPending >= dialect.SearchIndexBlock)
                    {
                        // Under sustained load the queue is never empty: index a block between commits.
                        IndexSearch(whileIdle: false);
                    }
                }
            }
        }
        finally
        {
            CloseConnectionAsync().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Adds new leads to the free-text index a block at a time, after their own commit and their answers: the
    /// search covers leads not yet indexed without the index, so this only makes their search fast.
    /// </summary>
    private void IndexSearch(bool whileIdle)
    {
        if (time.GetUtcNow() < _searchRetryAt)
        {
            return;
        }

        try
        {
            GetStatementsAsync().GetAwaiter().GetResult();
            int indexed;
            do
            {
                indexed = dialect.IndexNewLeadsAsync(_connection!).GetAwaiter().GetResult();
                _searchPending = indexed < dialect.SearchIndexBlock ? 0 : Math.Max(1, _searchPending - indexed);
            }
            while (whileIdle && _searchPending > 0 && _queue.Reader.Count == 0 && !_queue.Reader.Completion.IsCompleted);
        }
        catch (Exception ex)
        {
            CloseConnectionAsync().GetAwaiter().GetResult();
            _searchRetryAt = time.GetUtcNow() + SearchRetryDelay;
            logger.LogError(ex, "Adding new leads to the search index failed; they stay stored and searchable (more slowly). Retrying in {Delay}.", SearchRetryDelay);
        }
    }

    private async Task CommitAsync(List<IntakeWork> batch)
    {
        try
        {
            var results = await WriteAsync(batch);
            Complete(batch, results);
            return;
        }
        catch (Exception ex) when (batch.Count == 1 || dialect.IsStoreUnavailable(ex))
        {
            // The store itself refuses (locked, full, read-only, I/O error): every item would fail the same way, so the
            // whole batch is answered at once instead of waiting out the lock once per item.
            await CloseConnectionAsync();
            Fail(batch, ex);
            return;
        }
        catch (Exception ex)
        {
            await CloseConnectionAsync();
            // One bad item must not fail its neighbours: retry each in its own transaction.
            if (_failureLog.ShouldLog("grouped:" + dialect.DescribeFailure(ex), out var suppressed))
            {
                logger.LogWarning(ex, "A grouped commit of {Count} intake requests failed; retrying one by one.{More}", batch.Count, LogThrottle.More(suppressed));
            }
        }

        foreach (var work in batch)
        {
            try
            {
                var single = await WriteAsync([work]);
                Complete([work], single);
            }
            catch (Exception itemError)
            {
                await CloseConnectionAsync();
                Fail([work], itemError);
            }
        }
    }

    private void Fail(List<IntakeWork> batch, Exception error)
    {
        var reason = dialect.DescribeFailure(error);
        var now = time.GetUtcNow().UtcDateTime;
        _status = _status with { FailingSince = _status.FailingSince ?? now, LastError = reason };
        if (_failureLog.ShouldLog(reason, out var suppressed))
        {
            logger.LogError(error, "Storing {Count} intake request(s) failed: {Reason}.{More}", batch.Count, reason, LogThrottle.More(suppressed));
        }

        var failure = new LeadNotStoredException(reason, error, dialect.IsStoreUnavailable(error));
        foreach (var work in batch)
        {
            work.Completion.TrySetException(failure);
        }
    }

    private void Complete(List<IntakeWork> batch, IntakeResult[] results)
    {
        _status = new WriterStatus(time.GetUtcNow().UtcDateTime, null, null);
        List<LeadArrival>? arrivals = null;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Lead is { } lead && results[i] is { Duplicate: false, LeadId: { } id })
            {
                (arrivals ??= []).Add(new LeadArrival(id, lead.IsTest));
            }

            batch[i].Completion.TrySetResult(results[i]);
        }

        if (arrivals is not null)
        {
            feed.Publish(arrivals);
        }
    }

    private async Task<IntakeResult[]> WriteAsync(List<IntakeWork> batch)
    {
        var statements = await GetStatementsAsync();
        var since = time.GetUtcNow().UtcDateTime - options.Value.DuplicateWindow;
        await using var transaction = await _connection!.BeginTransactionAsync(dialect.WriterIsolation);
        var results = await IntakePlan.WriteAsync(statements, transaction, batch, since);
        await transaction.CommitAsync();
        return results;
    }

    private async Task<IntakeBatch> GetStatementsAsync()
    {
        if (_statements is not null)
        {
            return _statements;
        }

        // A short lock wait: behind a lock that does not clear, Partner Center gets 503 in seconds instead of a hang.
        var connection = await dialect.OpenConnectionAsync(store.ConnectionString, dialect.WriterLockWait);
        _connection = connection;
        _statements = dialect.CreateIntakeBatch(connection, instance.Name);
        return _statements;
    }

    private async Task CloseConnectionAsync()
    {
        _statements?.Dispose();
        _statements = null;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
