using Npgsql;

namespace LeadPortal.Data.Postgres;

/// <summary>
/// One listening connection per instance (LISTEN on <see cref="StoreSignals.LeadsChannel"/> and
/// <see cref="StoreSignals.KeysChannel"/>). When it drops (server restart, a proxy's idle timeout, a killed backend) it
/// reconnects with a growing pause, and then asks every subscriber to resync: notifications sent meanwhile are lost.
/// A keepalive every 10 s notices a connection that died silently.
/// </summary>
public sealed class PostgresSignals(StoreConnection store, ILogger<PostgresSignals> logger) : StoreSignals, IHostedService, IAsyncDisposable
{
    /// <summary>The listener's <c>application_name</c>, so that an operator (or a test) can find it in pg_stat_activity.</summary>
    public const string ApplicationName = "LeadPortal listener";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private int _stopped;
    private volatile string? _problem = "not connected yet";
    private DateTime? _lostAt;

    public override bool Listening => _problem is null;

    public override string? Problem => _problem;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => ListenAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Disposed once per registration (as itself and as a hosted service): stopping happens once.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task ListenAsync(CancellationToken stopping)
    {
        var retry = FirstRetry;
        var connectionString = new NpgsqlConnectionStringBuilder(store.ConnectionString)
        {
            ApplicationName = ApplicationName,
            KeepAlive = 10,
            Pooling = false,
            Enlist = false,
        }.ToString();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, e) => Heard(e.Channel, e.Payload, logger);
                await connection.OpenAsync(stopping);
                await using (var listen = new NpgsqlCommand($"LISTEN {LeadsChannel}; LISTEN {KeysChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }

                if (_problem is not null && _problem != "not connected yet")
                {
                    logger.LogInformation("The store listener is connected again; looking for what was missed meanwhile.");
                }

                var lostAt = _lostAt;
                _problem = null;
                _lostAt = null;
                retry = FirstRetry;
                Resync(lostAt, logger);
                while (true)
                {
                    await connection.WaitAsync(stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _problem = $"the listening connection failed ({ex.Message}); reconnecting";
                _lostAt ??= DateTime.UtcNow;
                logger.LogWarning(ex, "The store listener lost its connection; reconnecting in {Delay}.", retry);
                try
                {
                    await Task.Delay(retry, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
            }
        }
    }
}
