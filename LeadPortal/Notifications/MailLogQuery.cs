using LeadPortal.Data;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Notifications;

public sealed record MailLogRow(long Id, DateTime CreatedAt, MailKind Kind, string To, string Subject, OutboxStatus Status, int Attempts, DateTime? SentAt, DateTime NextAttemptAt, string? LastError, long? LeadId);

/// <summary>The send log an admin reads, and sending parked mail again.</summary>
public sealed class MailLogQuery(IDbContextFactory<LeadPortalDbContext> dbFactory, OutboxSignals signals, TimeProvider time)
{
    public sealed record Filter(OutboxStatus? Status = null, MailKind? Kind = null);

    public async Task<(IReadOnlyList<MailLogRow> Rows, int Total)> PageAsync(Filter filter, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.MailOutbox.AsNoTracking();
        if (filter.Status is { } status)
        {
            query = query.Where(m => m.Status == status);
        }

        if (filter.Kind is { } kind)
        {
            query = query.Where(m => m.Kind == kind);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(m => m.Id).Skip(page * pageSize).Take(pageSize)
            .Select(m => new MailLogRow(m.Id, m.CreatedAt, m.Kind, m.To, m.Subject, m.Status, m.Attempts, m.SentAt, m.NextAttemptAt, m.LastError, m.LeadId))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }

    public async Task<(int Pending, int Parked, DateTime? LastSent)> SummaryAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pending = await db.MailOutbox.CountAsync(m => m.Status == OutboxStatus.Pending, cancellationToken);
        var parked = await db.MailOutbox.CountAsync(m => m.Status == OutboxStatus.Parked, cancellationToken);
        var lastSent = await db.MailOutbox.Where(m => m.Status == OutboxStatus.Done).MaxAsync(m => m.SentAt, cancellationToken);
        return (pending, parked, lastSent);
    }

    /// <summary>Puts parked mail (one, or all when <paramref name="id"/> is null) back in the queue, due now; returns how many.</summary>
    public async Task<int> RetryParkedAsync(long? id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.MailOutbox.Where(m => m.Status == OutboxStatus.Parked);
        if (id is { } one)
        {
            query = query.Where(m => m.Id == one);
        }

        // CreatedAt moves too, or the mail would be parked again at its first failure: its retry period starts anew.
        var count = await query.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, OutboxStatus.Pending)
            .SetProperty(m => m.NextAttemptAt, now)
            .SetProperty(m => m.CreatedAt, now), cancellationToken);
        signals.Mail.Set();
        return count;
    }
}
