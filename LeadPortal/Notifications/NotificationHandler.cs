using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Outbox;
using LeadPortal.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Notifications;

/// <summary>
/// Who hears of a lead: each active user whose settings ask for it (every lead, or "Contact me" ones, of their offers),
/// the new owner of an assigned lead, and for Partner Center's validation lead only the admins, without its data.
/// One mail per person, lead and kind (the dedup key), however often an event is dispatched.
/// </summary>
public sealed class NotificationHandler(IOptions<SmtpOptions> smtp, MailComposer composer) : ILeadEventHandler
{
    public async Task HandleAsync(LeadPortalDbContext db, IReadOnlyList<LeadEventItem> items, DateTime now, CancellationToken cancellationToken)
    {
        // No SMTP server, no notifications: queuing them would only build a backlog that floods people later.
        if (!smtp.Value.IsConfigured || items.Count == 0)
        {
            return;
        }

        var recipients = await NotificationPreferencesStore.RecipientsAsync(db, cancellationToken);
        var mails = new List<OutgoingMail>();
        Dictionary<string, string>? actorNames = null;
        // Imported leads notify nobody unless their import said so (a backfill of months must not flood inboxes).
        var importRuns = items.Select(i => Import.ImportRows.RunOf(i.Lead.OriginKey)).OfType<long>().Distinct().ToList();
        var notifyingRuns = importRuns.Count == 0 ? []
            : (await db.ImportRuns.AsNoTracking().Where(r => importRuns.Contains(r.Id) && r.Notify).Select(r => r.Id).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var (outboxEvent, lead) in items)
        {
            switch (outboxEvent.Kind)
            {
                case OutboxEventKind.LeadArrived:
                    if (Import.ImportRows.RunOf(lead.OriginKey) is { } run && !notifyingRuns.Contains(run))
                    {
                        break;
                    }

                    foreach (var recipient in recipients.Where(r => WantsNewLead(r, lead)))
                    {
                        mails.Add(MailQueue.Create(MailKind.NewLead, $"lead:{lead.Id}:new:{recipient.UserId}", recipient.Email, recipient.UserId,
                            lead.Id, composer.NewLead(lead), now));
                    }

                    break;

                case OutboxEventKind.LeadAssigned:
                    if (recipients.FirstOrDefault(r => r.UserId == outboxEvent.UserId) is { Settings.WhenAssigned: true } owner
                        && outboxEvent.UserId != outboxEvent.ActorId)
                    {
                        actorNames ??= await db.Users.AsNoTracking().Select(u => new { u.Id, Name = u.DisplayName ?? u.Email ?? u.Id })
                            .ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
                        // No actor: an assignment rule did it, and its activity names the rule.
                        var by = outboxEvent.ActorId is { } actor
                            ? actorNames.GetValueOrDefault(actor)
                            : await RuleNameAsync(db, lead.Id, cancellationToken) is { } rule ? $"The assignment rule \"{rule}\"" : null;
                        mails.Add(MailQueue.Create(MailKind.Assigned, $"lead:{lead.Id}:assigned:{owner.UserId}", owner.Email, owner.UserId,
                            lead.Id, composer.Assigned(lead, by), now));
                    }

                    break;
            }
        }

        await MailQueue.AddAsync(db, mails, cancellationToken);
    }

    private static Task<string?> RuleNameAsync(LeadPortalDbContext db, long leadId, CancellationToken cancellationToken) =>
        db.LeadActivities.AsNoTracking().Where(a => a.LeadId == leadId && a.Kind == LeadActivityKind.AutoAssigned)
            .OrderByDescending(a => a.Id).Select(a => a.Text).FirstOrDefaultAsync(cancellationToken);

    private static bool WantsNewLead(Recipient recipient, Lead lead)
    {
        var settings = recipient.Settings;
        if (settings.NewLeads == NewLeadMail.Off)
        {
            return false;
        }

        if (lead.IsTest)
        {
            return recipient.IsAdmin;
        }

        return (settings.NewLeads == NewLeadMail.All || lead.ActionCode == LeadActions.ContactMe) && settings.WantsOffer(lead.OfferId);
    }
}
