using LeadPortal.Data;
using LeadPortal.Outbox;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Outbox;

/// <summary>Claim, release, retry and park, once for every outbox. On SQLite; <see cref="ClaimedQueuePostgresTests"/> runs the same on PostgreSQL.</summary>
public class ClaimedQueueTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 3, 2, 10, 0, 0, DateTimeKind.Utc);
    private readonly TestStore _store;

    public ClaimedQueueTests() : this(StoreProvider.Sqlite)
    {
    }

    protected ClaimedQueueTests(StoreProvider provider) => _store = new TestStore(provider);

    public void Dispose() => _store.Dispose();

    private async Task<long> QueueMailAsync(DateTime due)
    {
        await using var db = _store.CreateDbContext();
        var mail = new OutgoingMail
        {
            Kind = MailKind.Test, To = "a@contoso.example", Subject = "s", DedupKey = Guid.NewGuid().ToString("N"), CreatedAt = Now, NextAttemptAt = due,
            Status = OutboxStatus.Pending,
        };
        db.MailOutbox.Add(mail);
        await db.SaveChangesAsync();
        return mail.Id;
    }

    [StoreFact]
    public async Task One_holder_at_a_time_until_the_claim_runs_out_or_is_given_back()
    {
        var id = await QueueMailAsync(Now);
        await using var db = _store.CreateDbContext();

        Assert.True(await ClaimedQueue.TryClaimAsync(db.MailOutbox, id, "a", Now, Now.AddMinutes(5), default));
        Assert.False(await ClaimedQueue.TryClaimAsync(db.MailOutbox, id, "b", Now.AddMinutes(1), Now.AddMinutes(6), default));
        Assert.Empty(await ClaimedQueue.Due(db.MailOutbox, Now.AddMinutes(1)).ToListAsync());
        // Its holder died: the claim runs out and the message is due again.
        Assert.True(await ClaimedQueue.TryClaimAsync(db.MailOutbox, id, "b", Now.AddMinutes(6), Now.AddMinutes(11), default));
        Assert.Equal(0, await ClaimedQueue.ReleaseAsync(db.MailOutbox, id, "a", default)); // not a's to give back any more
        Assert.Equal(1, await ClaimedQueue.ReleaseAsync(db.MailOutbox, id, "b", default));
        Assert.True(await ClaimedQueue.TryClaimAsync(db.MailOutbox, id, "c", Now.AddMinutes(7), Now.AddMinutes(12), default));
    }

    [StoreFact]
    public async Task A_message_not_yet_due_is_not_claimed()
    {
        var id = await QueueMailAsync(Now.AddMinutes(10));
        await using var db = _store.CreateDbContext();

        Assert.False(await ClaimedQueue.TryClaimAsync(db.MailOutbox, id, "a", Now, Now.AddMinutes(5), default));
        Assert.True(await ClaimedQueue.TryClaimAsync(db.MailOutbox, id, "a", Now.AddMinutes(10), Now.AddMinutes(15), default));
    }

    [Fact]
    public void A_failure_is_retried_after_the_backoff_or_what_was_asked_and_parked_past_the_give_up_time_or_when_hopeless()
    {
        var message = new OutgoingMail { CreatedAt = Now };
        var policy = new RetryPolicy(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30), TimeSpan.FromHours(24));

        var first = ClaimedQueue.Failed(message, 1, Now, policy);
        Assert.False(first.Park);
        Assert.InRange(first.Wait, TimeSpan.FromSeconds(27), TimeSpan.FromSeconds(33));   // ±10% jitter
        Assert.Equal(TimeSpan.FromMinutes(30), ClaimedQueue.Failed(message, 3, Now, policy, asked: TimeSpan.FromHours(2)).Wait);
        Assert.Equal(TimeSpan.FromSeconds(90), ClaimedQueue.Failed(message, 3, Now, policy, asked: TimeSpan.FromSeconds(90)).Wait);
        Assert.True(ClaimedQueue.Failed(message, 1, Now, policy, hopeless: true).Park);
        Assert.True(ClaimedQueue.Failed(message, 40, Now.AddHours(23.9), policy).Park);     // the next try would be past a day
        Assert.False(ClaimedQueue.Failed(message, 2, Now.AddHours(23), policy).Park);
    }
}

[PostgresStore]
public sealed class ClaimedQueuePostgresTests() : ClaimedQueueTests(StoreProvider.Postgres);
