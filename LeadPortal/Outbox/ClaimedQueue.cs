using LeadPortal.Background;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Outbox;

/// <summary>When a failed message is tried again, and when it is given up on.</summary>
public readonly record struct RetryPolicy(TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan GiveUpAfter);

/// <summary>What a failed attempt leaves: parked for good, or pending until the next attempt.</summary>
public readonly record struct AfterFailure(bool Park, DateTime NextAttemptAt, TimeSpan Wait);

/// <summary>
/// Claim, release, retry and park, written once for every outbox: each step is one conditional UPDATE, so two instances
/// never send the same message at once, and a claim that runs out (its sender died) makes the message due again.
/// The senders keep what is their own: the transport, what an answer means, and what a success records.
/// </summary>
public static class ClaimedQueue
{
    /// <summary>Messages to send now: pending, due, and not held by a live claim.</summary>
    public static IQueryable<T> Due<T>(IQueryable<T> rows, DateTime now) where T : class, IOutboxMessage =>
        rows.Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now));

    /// <summary>Takes the message for <paramref name="holder"/> until <paramref name="until"/>; true when this holder now has it.</summary>
    public static async Task<bool> TryClaimAsync<T>(IQueryable<T> rows, long id, string holder, DateTime now, DateTime until, CancellationToken cancellationToken)
        where T : class, IOutboxMessage =>
        await Due(rows, now).Where(m => m.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, holder).SetProperty(m => m.ClaimedUntil, until), cancellationToken) == 1;

    /// <summary>Gives a claimed message back at once (its sender is stopping): the next sender need not wait the claim out.</summary>
    public static Task<int> ReleaseAsync<T>(IQueryable<T> rows, long id, string holder, CancellationToken cancellationToken) where T : class, IOutboxMessage =>
        rows.Where(m => m.Id == id && m.ClaimedBy == holder && m.Status == OutboxStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, (string?)null).SetProperty(m => m.ClaimedUntil, (DateTime?)null), cancellationToken);

    /// <summary>
    /// After the <paramref name="attempts"/>th failed attempt: the next one after the backoff (or after what the receiver
    /// asked for, capped), unless it would fall past the give-up time or the failure cannot get better by waiting.
    /// </summary>
    public static AfterFailure Failed(IOutboxMessage message, int attempts, DateTime now, RetryPolicy policy, bool hopeless = false, TimeSpan? asked = null)
    {
        var wait = asked is { } requested
            ? TimeSpan.FromTicks(Math.Min(requested.Ticks, policy.MaxDelay.Ticks))
            : Backoff.Delay(attempts, policy.BaseDelay, policy.MaxDelay);
        var next = now + wait;
        return new AfterFailure(hopeless || next > message.CreatedAt + policy.GiveUpAfter, next, wait);
    }
}
