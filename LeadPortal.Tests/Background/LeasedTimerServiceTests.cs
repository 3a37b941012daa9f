using LeadPortal.Background;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadPortal.Tests.Background;

/// <summary>
/// Hourly work on one instance of several: not repeated before it is due, and after a crash or a stop another instance
/// runs it within minutes (the leases used to be held for 55 minutes, so after a restart the jobs waited up to 2 hours).
/// On SQLite; <see cref="LeasedTimerServicePostgresTests"/> runs the same on PostgreSQL.
/// </summary>
public class LeasedTimerServiceTests : IDisposable
{
    private readonly TestStore _store;
    private readonly FixedTime _clock = new(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));

    public LeasedTimerServiceTests() : this(StoreProvider.Sqlite)
    {
    }

    protected LeasedTimerServiceTests(StoreProvider provider) => _store = new TestStore(provider);

    public void Dispose() => _store.Dispose();

    private sealed class HourlyJob(TestStore store, TimeProvider time, Func<Func<CancellationToken, Task>, CancellationToken, Task>? work = null)
        : LeasedTimerService(store, new InstanceIdentity(), time, NullLogger.Instance)
    {
        public int Runs { get; private set; }

        protected override string LeaseName => "test-hourly";

        protected override TimeSpan Interval => TimeSpan.FromHours(1);

        protected override string FailureMessage => "The test job failed.";

        protected override async Task RunAsync(Func<CancellationToken, Task> renew, CancellationToken cancellationToken)
        {
            Runs++;
            if (work is not null)
            {
                await work(renew, cancellationToken);
            }
        }
    }

    private void Advance(TimeSpan by) => _clock.Now += by;

    [StoreFact]
    public async Task A_run_is_done_by_one_instance_and_not_again_until_it_is_due()
    {
        var a = new HourlyJob(_store, _clock);
        var b = new HourlyJob(_store, _clock);

        Assert.True(await a.RunIfDueAsync(CancellationToken.None));
        Assert.False(await b.RunIfDueAsync(CancellationToken.None));
        Advance(TimeSpan.FromMinutes(59));
        Assert.False(await b.RunIfDueAsync(CancellationToken.None));
        Assert.False(await a.RunIfDueAsync(CancellationToken.None));
        Advance(TimeSpan.FromMinutes(2));
        Assert.True(await b.RunIfDueAsync(CancellationToken.None));
        Assert.Equal((1, 1), (a.Runs, b.Runs));
    }

    [StoreFact]
    public async Task A_holder_that_crashed_mid_run_is_replaced_within_minutes()
    {
        var crashed = new InstanceIdentity();
        await using (var db = await _store.CreateDbContextAsync())
        {
            // What a process leaves behind when it dies one minute into a run: its lease, taken and renewed.
            Assert.True(await JobLeases.TryTakeDueAsync(db, "test-hourly", crashed.Name, TimeSpan.FromMinutes(2), _clock.Now.UtcDateTime, CancellationToken.None));
        }

        var other = new HourlyJob(_store, _clock);
        Advance(TimeSpan.FromMinutes(1));
        Assert.False(await other.RunIfDueAsync(CancellationToken.None));
        Advance(TimeSpan.FromMinutes(2));
        Assert.True(await other.RunIfDueAsync(CancellationToken.None));
    }

    [StoreFact]
    public async Task A_long_run_keeps_its_lease_by_renewing_it()
    {
        var other = new HourlyJob(_store, _clock);
        var longRun = new HourlyJob(_store, _clock, async (renew, token) =>
        {
            for (var step = 0; step < 5; step++)
            {
                Advance(TimeSpan.FromMinutes(1.5));
                await renew(token);
                Assert.False(await other.RunIfDueAsync(token));
            }
        });

        Assert.True(await longRun.RunIfDueAsync(CancellationToken.None));
        Assert.Equal(0, other.Runs);
    }

    [StoreFact]
    public async Task A_clean_stop_mid_run_lets_the_lease_go_at_once()
    {
        using var stopping = new CancellationTokenSource();
        var stopped = new HourlyJob(_store, _clock, async (_, token) =>
        {
            await stopping.CancelAsync();
            token.ThrowIfCancellationRequested();
        });
        var other = new HourlyJob(_store, _clock);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped.RunIfDueAsync(stopping.Token));

        Assert.True(await other.RunIfDueAsync(CancellationToken.None));
    }

    [StoreFact]
    public async Task A_failed_run_is_tried_again_at_the_next_interval_not_every_minute()
    {
        var failing = new HourlyJob(_store, _clock, (_, _) => throw new InvalidOperationException("boom"));

        Assert.True(await failing.RunIfDueAsync(CancellationToken.None));
        Advance(TimeSpan.FromMinutes(5));
        Assert.False(await failing.RunIfDueAsync(CancellationToken.None));
        Advance(TimeSpan.FromMinutes(56));
        Assert.True(await failing.RunIfDueAsync(CancellationToken.None));
        Assert.Equal(2, failing.Runs);
    }
}

[PostgresStore]
public sealed class LeasedTimerServicePostgresTests() : LeasedTimerServiceTests(StoreProvider.Postgres);
