using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Notifications;

/// <summary>Adds mails to the outbox in the caller's context, skipping any whose dedup key is already there.</summary>
public static class MailQueue
{
    public static async Task<int> AddAsync(LeadPortalDbContext db, IReadOnlyList<OutgoingMail> mails, CancellationToken cancellationToken)
    {
        if (mails.Count == 0)
        {
            return 0;
        }

        var keys = mails.Select(m => m.DedupKey).Distinct().ToList();
        var existing = (await db.MailOutbox.Where(m => keys.Contains(m.DedupKey)).Select(m => m.DedupKey).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var added = 0;
        foreach (var mail in mails)
        {
            if (existing.Add(mail.DedupKey))
            {
                db.MailOutbox.Add(mail);
                added++;
            }
        }

        return added;
    }

    public static OutgoingMail Create(MailKind kind, string dedupKey, string to, string? userId, long? leadId, MailContent content, DateTime now) => new()
    {
        Kind = kind,
        DedupKey = dedupKey.Length > 200 ? dedupKey[..200] : dedupKey,
        To = to,
        UserId = userId,
        LeadId = leadId,
        Subject = content.Subject,
        TextBody = content.Text,
        HtmlBody = content.Html,
        Status = OutboxStatus.Pending,
        CreatedAt = now,
        NextAttemptAt = now,
    };
}
