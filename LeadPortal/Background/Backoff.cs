namespace LeadPortal.Background;

/// <summary>Exponential retry delays: base × 2^(attempt − 1), capped, with ±10% jitter so retries of many messages spread out.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int attempts, TimeSpan baseDelay, TimeSpan maxDelay, double jitter = 0.1)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var delay = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        delay *= 1 + ((Random.Shared.NextDouble() * 2) - 1) * jitter;
        return TimeSpan.FromMilliseconds(Math.Max(0, delay));
    }
}
