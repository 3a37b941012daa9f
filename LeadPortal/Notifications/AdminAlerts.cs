using LeadPortal.Data;
using Microsoft.Extensions.Options;

namespace LeadPortal.Notifications;

/// <summary>Queues an alert mail to every active admin, once per alert key (the key names the occurrence, e.g. the silent period).</summary>
public sealed class AdminAlerts(MailComposer composer, IOptions<SmtpOptions> smtp)
{
    /// <summary>Adds the mails to <paramref name="db"/> (the caller saves them, and wakes the mail sender); none while mail is off.</summary>
    public async Task<int> QueueAsync(
        LeadPortalDbContext db, string key, string subject, string message, string pagePath, string linkText, DateTime now,
        CancellationToken cancellationToken)
    {
        // With e-mail off nothing is queued (as for every other mail): the pages say so, and say what happened.
        if (!smtp.Value.IsConfigured)
        {
            return 0;
        }

        var admins = (await NotificationPreferencesStore.RecipientsAsync(db, cancellationToken)).Where(r => r.IsAdmin).ToList();
        var content = composer.Alert(subject, message, pagePath, linkText);
        var mails = admins.Select(a => MailQueue.Create(MailKind.Alert, $"alert:{key}:{a.UserId}", a.Email, a.UserId, null, content, now)).ToList();
        return await MailQueue.AddAsync(db, mails, cancellationToken);
    }
}
