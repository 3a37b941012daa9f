using System.Globalization;
using System.Text;

namespace LeadPortal.Data;

/// <summary>
/// Signals between instances on one store: PostgreSQL's LISTEN/NOTIFY (<see cref="Postgres.PostgresSignals"/>). A
/// notification sent inside a transaction is delivered when it commits, so "leads arrived" is never heard before the
/// leads can be read. On SQLite there is one instance, and nothing is ever heard (<see cref="NoStoreSignals"/>).
/// </summary>
public abstract class StoreSignals
{
    /// <summary>New leads: <c>instance</c>, a line break, then <c>id:t</c> or <c>id:f</c> (test lead or not), comma-separated.</summary>
    public const string LeadsChannel = "leadportal_leads";

    /// <summary>Intake keys created or revoked: every instance drops its cached key list.</summary>
    public const string KeysChannel = "leadportal_keys";

    /// <summary>PostgreSQL refuses a payload of 8,000 bytes or more; arrivals are split below that.</summary>
    public const int MaxPayloadBytes = 7_000;

    private readonly Lock _gate = new();
    private (string Channel, Action<string> OnPayload)[] _subscribers = [];
    private Action<DateTime?>[] _resync = [];

    /// <summary>
    /// Calls <paramref name="onPayload"/> with each payload heard on the channel (from another instance or this one), and
    /// <paramref name="onResync"/> each time the listener (re)connects, with when it lost the connection (null at the
    /// first connection): what was sent from then on was not heard.
    /// </summary>
    public IDisposable Subscribe(string channel, Action<string> onPayload, Action<DateTime?>? onResync = null)
    {
        var entry = (channel, onPayload);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, entry];
            if (onResync is not null)
            {
                _resync = [.. _resync, onResync];
            }
        }

        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s.OnPayload, onPayload))];
                _resync = [.. _resync.Where(r => !ReferenceEquals(r, onResync))];
            }
        });
    }

    /// <summary>True while notifications from other instances can be heard (always true where there are none).</summary>
    public abstract bool Listening { get; }

    /// <summary>Why not, when <see cref="Listening"/> is false.</summary>
    public abstract string? Problem { get; }

    protected void Heard(string channel, string payload, ILogger logger)
    {
        foreach (var (subscribed, onPayload) in _subscribers)
        {
            if (subscribed != channel)
            {
                continue;
            }

            try
            {
                onPayload(payload);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A subscriber to {Channel} failed.", channel);
            }
        }
    }

    /// <summary>After a (re)connection: whatever was sent while nobody listened is lost, so subscribers look again.</summary>
    protected void Resync(DateTime? lostAt, ILogger logger)
    {
        foreach (var resync in _resync)
        {
            try
            {
                resync(lostAt);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A resync after the store listener reconnected failed.");
            }
        }
    }

    /// <summary>The arrivals as one or more payloads for <see cref="LeadsChannel"/>, each under <see cref="MaxPayloadBytes"/>.</summary>
    public static IEnumerable<string> ArrivalPayloads(string instance, IEnumerable<(long LeadId, bool IsTest)> arrivals)
    {
        var payload = new StringBuilder(instance).Append('\n');
        var header = payload.Length;
        foreach (var (id, isTest) in arrivals)
        {
            if (payload.Length > MaxPayloadBytes - 32 - instance.Length)
            {
                yield return payload.ToString(0, payload.Length - 1);
                payload.Length = header;
            }

            payload.Append(id.ToString(CultureInfo.InvariantCulture)).Append(isTest ? ":t," : ":f,");
        }

        if (payload.Length > header)
        {
            yield return payload.ToString(0, payload.Length - 1);
        }
    }

    /// <summary>Reads a <see cref="LeadsChannel"/> payload; an unreadable one gives no arrivals.</summary>
    public static (string Instance, List<(long LeadId, bool IsTest)> Arrivals) ParseArrivals(string payload)
    {
        var arrivals = new List<(long, bool)>();
        var newline = payload.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0)
        {
            return ("", arrivals);
        }

        foreach (var item in payload[(newline + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(item.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                arrivals.Add((id, item.AsSpan(colon + 1) is "t"));
            }
        }

        return (payload[..newline], arrivals);
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}

/// <summary>One instance (SQLite): nobody else to hear from.</summary>
public sealed class NoStoreSignals : StoreSignals
{
    public override bool Listening => true;

    public override string? Problem => null;
}
