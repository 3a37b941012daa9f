using LeadPortal.Data;

namespace LeadPortal.Notifications;

/// <summary>Queues an alert mail to every active admin, once per alert key (the key names the occurrence, e.g. the silent period).</summary>
public sealed class AdminAlerts(MailComposer composer)
{
    public async Task<int> QueueAsync(
        LeadPortalDbContext db, string key, string subject, string message, string pagePath, string linkText, DateTime now,
        CancellationToken cancellationToken)
    {
        var admins = (await NotificationPreferencesStore.RecipientsAsync(db, cancellationToken)).Where(r => r.IsAdmin).ToList();
        var content = composer.Alert(subject, message, pagePath, linkText);
        var mails = admins.Select(a => MailQueue.Create(MailKind.Alert, $"alert:{key}:{a.UserId}", a.Email, a.UserId, null, content, now)).ToList();
        return await MailQueue.AddAsync(db, mails, cancellationToken);
    }
}
