using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace LeadPortal.Intake;

/// <summary>
/// Rate limits for clients that keep failing the key check: each refused call takes a token from its client's bucket
/// and from a bucket shared by all clients; with either empty, the next call without a valid key gets 429 and
/// Retry-After without its body being read.
/// <para>
/// Built from the token buckets ASP.NET Core's rate limiting uses, but not through its middleware policy: that takes a
/// permit for every request before the endpoint runs, so it would limit Partner Center's valid leads too, and what must
/// be limited is failures, known only after the key check. A request with a valid key is never limited: behind a
/// proxy that is not configured to forward client addresses every caller shares one address, and a flood of wrong
/// keys must never refuse a real lead.
/// </para>
/// </summary>
public sealed class RefusalLimiter : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private readonly PartitionedRateLimiter<string> _limiter;

    public RefusalLimiter(IOptions<IntakeOptions> options)
    {
        var perClient = options.Value.RefusalsPerClientPerMinute;
        var total = options.Value.RefusalsPerMinute;
        _limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => Bucket(perClient))),
            PartitionedRateLimiter.Create<string, string>(_ => RateLimitPartition.GetTokenBucketLimiter("", _ => Bucket(total))));
    }

    /// <summary>Takes one refusal from the client's allowance; false (with how long to wait) when it has none left.</summary>
    public bool TryTake(string client, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(client);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Period;
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();

    // The whole minute's allowance at once, then a sixth of it every ten seconds: a burst is allowed, a flood is not.
    private static TokenBucketRateLimiterOptions Bucket(int perMinute) => new()
    {
        TokenLimit = perMinute,
        TokensPerPeriod = Math.Max(1, perMinute / 6),
        ReplenishmentPeriod = Period,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
