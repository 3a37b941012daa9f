using LeadPortal.Background;
using LeadPortal.Data;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Leads;

/// <summary>
/// Leads stored by other instances, heard through the store (<see cref="StoreSignals.LeadsChannel"/>), announced on this
/// instance's <see cref="LeadFeed"/> as if written here: an inbox open on any instance hears of every arrival. After
/// the listener was away, the leads received from a minute before it lost its connection are looked up, and those not
/// announced yet are announced. Each lead is announced once (the ids announced lately are remembered).
/// </summary>
public sealed class LeadFeedRelay(
    StoreSignals signals,
    LeadFeed feed,
    InstanceIdentity instance,
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    ILogger<LeadFeedRelay> logger) : IHostedService, IDisposable
{
    /// <summary>How many announced ids are remembered to keep a resync from announcing a lead twice.</summary>
    private const int Remembered = 50_000;

    /// <summary>Commit lag and clock difference between instances covered by a resync.</summary>
    private static readonly TimeSpan ResyncMargin = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly HashSet<long> _announced = [];
    private readonly Queue<long> _order = new();
    private IDisposable? _feed;
    private IDisposable? _signals;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _feed = feed.Subscribe(Remember);
        _signals = signals.Subscribe(StoreSignals.LeadsChannel, Heard, lostAt =>
        {
            if (lostAt is { } since)
            {
                _ = Task.Run(() => ResyncAsync(since - ResyncMargin));
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _signals?.Dispose();
        _feed?.Dispose();
    }

    private void Heard(string payload)
    {
        var (from, arrivals) = StoreSignals.ParseArrivals(payload);
        if (from == instance.Name)
        {
            return; // this instance's writer announced them already
        }

        Announce(arrivals.Select(a => new LeadArrival(a.LeadId, a.IsTest)));
    }

    /// <summary>The leads received since <paramref name="since"/> that nobody here has heard of.</summary>
    public async Task ResyncAsync(DateTime since)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var recent = await db.Leads.AsNoTracking().Where(l => l.ReceivedAt >= since)
                .OrderBy(l => l.Id).Take(Remembered).Select(l => new { l.Id, l.IsTest }).ToListAsync();
            Announce(recent.Select(l => new LeadArrival(l.Id, l.IsTest)));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Looking for leads stored while the store listener was away failed; open inboxes learn of them when reloaded.");
        }
    }

    private void Announce(IEnumerable<LeadArrival> arrivals)
    {
        List<LeadArrival> fresh;
        lock (_gate)
        {
            fresh = arrivals.Where(a => Add(a.LeadId)).ToList();
        }

        feed.Publish(fresh);
    }

    private void Remember(IReadOnlyList<LeadArrival> arrivals)
    {
        lock (_gate)
        {
            foreach (var arrival in arrivals)
            {
                Add(arrival.LeadId);
            }
        }
    }

    /// <summary>Records an announced id (under the lock); false when it was announced before.</summary>
    private bool Add(long leadId)
    {
        if (!_announced.Add(leadId))
        {
            return false;
        }

        _order.Enqueue(leadId);
        if (_order.Count > Remembered)
        {
            _announced.Remove(_order.Dequeue());
        }

        return true;
    }
}
