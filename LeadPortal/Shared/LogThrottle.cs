namespace LeadPortal.Shared;

/// <summary>
/// One log line per cause per interval: while a store or disk stays broken, every lead fails the same way, and a stack
/// trace per lead buried the log (6.5 MB in minutes on a full disk, which the log then made fuller). The first failure
/// of a cause is logged with its exception; the next ones within the interval are only counted, and the next line
/// logged for that cause says how many there were.
/// </summary>
public sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTimeOffset LoggedAt, int Suppressed)> _causes = [];

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    /// <summary>True when a line for <paramref name="cause"/> should be written now; <paramref name="suppressed"/> is how
    /// many were left out since the last one.</summary>
    public bool ShouldLog(string cause, out int suppressed)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_causes.TryGetValue(cause, out var last) && now - last.LoggedAt < interval)
            {
                _causes[cause] = last with { Suppressed = last.Suppressed + 1 };
                suppressed = 0;
                return false;
            }

            suppressed = last.Suppressed;
            _causes[cause] = (now, 0);
            if (_causes.Count > 100)
            {
                // Causes are few (a handful of failure descriptions); never let odd texts grow this without bound.
                foreach (var old in _causes.Where(c => now - c.Value.LoggedAt >= interval).Select(c => c.Key).ToList())
                {
                    _causes.Remove(old);
                }
            }

            return true;
        }
    }

    /// <summary>" (and 12 more like it in the last minute)", or nothing.</summary>
    public static string More(int suppressed) => suppressed == 0 ? "" : $" ({suppressed} more like it since the last line)";
}
