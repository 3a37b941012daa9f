using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LeadPortal.Data;
using Microsoft.Extensions.Options;

namespace LeadPortal.Intake;

/// <summary>How many requests one client had refused for one reason, over the last hour.</summary>
public sealed record RefusalCount(string Client, DeliveryOutcome Outcome, int StatusCode, long Count, DateTime LastAt, string? LastReason);

/// <summary>
/// Refused intake requests cost memory, not disk: each is counted per client and reason; the first few per client and
/// reason each minute go to the delivery log one by one (a sample an admin can read), and at the end of the minute one
/// row per client and reason says how many more there were. Sampled rows join the lead writer's next grouped commit
/// without anyone waiting for it, so a flood of refusals takes no fsync and no request's turn.
/// </summary>
public sealed class RefusalLog(LeadWriter writer, IOptions<IntakeOptions> options, TimeProvider time, ILogger<RefusalLog> logger)
    : BackgroundService
{
    /// <summary>Clients tracked one by one per minute; a flood from more addresses is counted under <see cref="OtherClients"/>.</summary>
    public const int MaxClientsPerMinute = 1_000;

    /// <summary>Summary rows written per minute at most (the busiest clients); the rest are folded into one row.</summary>
    public const int MaxSummariesPerMinute = 100;

    public const string OtherClients = "(other clients)";

    private static readonly TimeSpan History = TimeSpan.FromHours(1);

    private readonly object _gate = new();
    private Window _current = new(DateTime.MinValue);
    private readonly Queue<Window> _past = new();
    private readonly Queue<Window> _unsummarised = new();

    /// <summary>
    /// Counts a refused request and, while this client and reason are within this minute's sample, logs it.
    /// <paramref name="client"/> is the address the limits are kept by (see <see cref="ClientOf"/>).
    /// </summary>
    public void Record(string client, DeliveryLogEntry entry)
    {
        var window = CurrentWindow(entry.ReceivedAt);
        var tally = window.TallyFor(client, entry.Outcome, entry.StatusCode);
        // A lead the store refused is only counted: a row written now would meet the same refusal. The minute's
        // summary is written later, when the store has most likely recovered.
        var sampled = tally.Add(entry, options.Value.RefusalSamplesPerMinute)
            && entry.Outcome != DeliveryOutcome.NotStored
            && Interlocked.Increment(ref window.Sampled) <= options.Value.RefusalSamplesPerMinute * 10;
        if (sampled)
        {
            writer.Enqueue(entry);
        }
        else
        {
            tally.Unlogged(entry.BodySize);
        }
    }

    /// <summary>Refusals of the last hour per client and reason, the most first (the minute in progress included).</summary>
    public IReadOnlyList<RefusalCount> Recent(int take = 50)
    {
        Window[] windows;
        lock (_gate)
        {
            windows = [.. _past, _current];
        }

        return windows.SelectMany(w => w.Tallies)
            .GroupBy(t => (t.Key.Client, t.Key.Outcome, t.Key.StatusCode))
            .Select(g =>
            {
                var last = g.MaxBy(t => t.Value.LastAt)!.Value;
                return new RefusalCount(g.Key.Client, g.Key.Outcome, g.Key.StatusCode, g.Sum(t => t.Value.Count), last.LastAt, last.LastReason);
            })
            .OrderByDescending(r => r.Count).ThenByDescending(r => r.LastAt)
            .Take(take)
            .ToList();
    }

    /// <summary>
    /// The address limits and counts are kept by: the client's IPv4 address, or the /64 network of an IPv6 address
    /// (one subscriber usually holds a whole /64, so counting single IPv6 addresses would be no limit at all).
    /// </summary>
    public static string ClientOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Flush(final: false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // What was counted but not yet summarised still reaches the log while the writer takes work.
        Flush(final: true);
    }

    /// <summary>Writes the summary rows of every finished minute (and of the current one when stopping).</summary>
    public void Flush(bool final)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<Window> finished = [];
        lock (_gate)
        {
            if (final || _current.Minute < MinuteOf(now))
            {
                Rotate(final ? _current.Minute.AddMinutes(1) : MinuteOf(now));
            }

            // A request that took its window just before the minute turned may still be counting: wait a moment.
            while (_unsummarised.Count > 0 && (final || _unsummarised.Peek().Minute.AddMinutes(1) + TimeSpan.FromSeconds(2) <= now))
            {
                finished.Add(_unsummarised.Dequeue());
            }

            while (_past.Count > 0 && _past.Peek().Minute < now - History)
            {
                _past.Dequeue();
            }
        }

        var unlogged = 0L;
        foreach (var window in finished)
        {
            foreach (var summary in window.Summaries())
            {
                unlogged += summary.Count;
                writer.Enqueue(summary);
            }
        }

        if (unlogged > 0)
        {
            logger.LogWarning("{Count} refused intake requests were counted but not logged one by one (see the delivery log's summary rows).", unlogged);
        }
    }

    private Window CurrentWindow(DateTime at)
    {
        var minute = MinuteOf(at);
        var window = _current;
        if (window.Minute >= minute)
        {
            return window;
        }

        lock (_gate)
        {
            if (_current.Minute < minute)
            {
                Rotate(minute);
            }

            return _current;
        }
    }

    private void Rotate(DateTime minute)
    {
        if (!_current.IsEmpty)
        {
            _unsummarised.Enqueue(_current);
            _past.Enqueue(_current);
        }

        _current = new Window(minute);
    }

    private static DateTime MinuteOf(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);

    private sealed class Window(DateTime minute)
    {
        public DateTime Minute { get; } = minute;

        public int Sampled;

        public bool IsEmpty => _tallies.IsEmpty;

        private readonly ConcurrentDictionary<(string Client, DeliveryOutcome Outcome, int StatusCode), Tally> _tallies = new();

        public IEnumerable<KeyValuePair<(string Client, DeliveryOutcome Outcome, int StatusCode), Tally>> Tallies => _tallies;

        public Tally TallyFor(string client, DeliveryOutcome outcome, int statusCode)
        {
            if (_tallies.TryGetValue((client, outcome, statusCode), out var tally))
            {
                return tally;
            }

            if (_tallies.Count >= MaxClientsPerMinute)
            {
                client = OtherClients;
            }

            return _tallies.GetOrAdd((client, outcome, statusCode), _ => new Tally());
        }

        public IEnumerable<DeliveryLogEntry> Summaries()
        {
            var pending = _tallies.Where(t => t.Value.UnloggedCount > 0).OrderByDescending(t => t.Value.UnloggedCount).ToList();
            var minute = Minute.ToString("HH:mm", CultureInfo.InvariantCulture);
            foreach (var (key, tally) in pending.Take(MaxSummariesPerMinute))
            {
                var more = tally.UnloggedCount < tally.Count ? " more" : "";
                yield return Summary(key.Client, key.Outcome, key.StatusCode, tally.UnloggedCount, tally.UnloggedBytes, tally.LastAt,
                    $"{tally.UnloggedCount:N0}{more} like this from this client in the minute from {minute} UTC, counted but not logged one by one. Last reason: {tally.LastReason}");
            }

            foreach (var group in pending.Skip(MaxSummariesPerMinute).GroupBy(t => (t.Key.Outcome, t.Key.StatusCode)))
            {
                var count = group.Sum(t => t.Value.UnloggedCount);
                yield return Summary(OtherClients, group.Key.Outcome, group.Key.StatusCode, count, group.Sum(t => t.Value.UnloggedBytes),
                    group.Max(t => t.Value.LastAt),
                    $"{count:N0} more like this from {group.Count():N0} other clients in the minute from {minute} UTC, counted but not logged one by one.");
            }
        }

        private static DeliveryLogEntry Summary(
            string client, DeliveryOutcome outcome, int statusCode, int count, long bytes, DateTime at, string reason) => new()
        {
            ReceivedAt = at,
            Outcome = outcome,
            StatusCode = statusCode,
            ClientIp = client,
            Count = count,
            BodySize = bytes,
            Reason = reason,
        };
    }

    private sealed class Tally
    {
        private int _count;
        private int _unlogged;
        private long _unloggedBytes;

        public int Count => Volatile.Read(ref _count);

        public int UnloggedCount => Volatile.Read(ref _unlogged);

        public long UnloggedBytes => Interlocked.Read(ref _unloggedBytes);

        public DateTime LastAt { get; private set; }

        public string? LastReason { get; private set; }

        /// <summary>Counts the request; true while it is within the sample logged one by one.</summary>
        public bool Add(DeliveryLogEntry entry, int sample)
        {
            LastAt = entry.ReceivedAt;
            LastReason = entry.Reason;
            return Interlocked.Increment(ref _count) <= sample;
        }

        public void Unlogged(long bytes)
        {
            Interlocked.Increment(ref _unlogged);
            Interlocked.Add(ref _unloggedBytes, bytes);
        }
    }
}
