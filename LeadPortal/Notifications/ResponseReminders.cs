using System.Globalization;
using LeadPortal.Data;
using LeadPortal.Responses;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Notifications;

/// <summary>
/// The response clocks' mails, queued by <see cref="NotificationScheduler"/>'s round (its lease: one instance at a time):
/// the owner's reminder some hours before a lead's first response is due, and when it is overdue a mail to the owner
/// (the admins, for an unassigned lead) and the escalation list, both set on Admin › Response times.
/// Each round looks only at the due times since the last round's (two marks in the store, saved with the mails it
/// queued, so a crash in between repeats nothing and loses nothing); each mail's dedup key names the lead, the stage,
/// the due time and the recipient, so a lead re-timed later is reminded again and never twice for one due time.
/// A lead answered or closed before its stage gets no mail; DNC and test leads run no clock and so get none either.
/// </summary>
public sealed class ResponseReminders(IOptions<ResponseClockSettings> configured, MailComposer composer)
{
    public const string RemindedKey = "response-reminders.reminded-up-to";
    public const string EscalatedKey = "response-reminders.escalated-up-to";

    /// <summary>
    /// How far back a round looks for leads that fell overdue while no round ran (the scheduler was down, or mail was off):
    /// longer, and an upgrade or a long outage would mail about every lead that ever went unanswered. The digest's
    /// "at risk" part lists those.
    /// </summary>
    public static readonly TimeSpan MaxCatchUp = TimeSpan.FromDays(1);

    /// <summary>Queues the mails due now in <paramref name="db"/> and moves the marks; the caller saves. How many were queued.</summary>
    internal async Task<int> QueueAsync(LeadPortalDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var settings = (await ResponseTimes.ReadAsync(db, configured.Value, cancellationToken)).Settings;
        var reminded = await MarkAsync(db, RemindedKey, now, cancellationToken);
        var escalated = await MarkAsync(db, EscalatedKey, now, cancellationToken);
        List<Recipient>? recipients = null;
        var mails = new List<OutgoingMail>();

        // Reminders: due from the last round's horizon (never before now: an overdue lead gets no "due soon") to now + the lead time.
        var horizon = now.AddHours(settings.RemindOwnerHours);
        var remindFrom = reminded.Value > now ? reminded.Value : now;
        if (settings.RemindOwnerHours > 0 && horizon > remindFrom)
        {
            var leads = await Running(db).Where(l => l.OwnerId != null && l.ResponseDueAt > remindFrom && l.ResponseDueAt <= horizon)
                .OrderBy(l => l.ResponseDueAt).ThenBy(l => l.Id).ToListAsync(cancellationToken);
            if (leads.Count > 0)
            {
                recipients = await NotificationPreferencesStore.RecipientsAsync(db, cancellationToken);
                var byId = recipients.ToDictionary(r => r.UserId);
                foreach (var lead in leads)
                {
                    // The owner's own switch (Notifications › reminders) decides, as for task reminders.
                    if (byId.GetValueOrDefault(lead.OwnerId!) is { Settings.TaskReminders: true } owner)
                    {
                        mails.Add(MailQueue.Create(MailKind.ResponseDueSoon, Key(lead, "due-soon", owner.UserId), owner.Email, owner.UserId, lead.Id,
                            composer.ResponseDueSoon(lead, lead.ResponseDueAt!.Value, now, owner.Settings.TimeZone), now));
                    }
                }
            }
        }

        if (horizon > reminded.Value)
        {
            reminded.Value = horizon;
        }

        // Overdue: fell due since the last round (at most MaxCatchUp ago).
        var overdueFrom = escalated.Value > now - MaxCatchUp ? escalated.Value : now - MaxCatchUp;
        if (now > overdueFrom)
        {
            var leads = await Running(db).Where(l => l.ResponseDueAt > overdueFrom && l.ResponseDueAt <= now)
                .OrderBy(l => l.ResponseDueAt).ThenBy(l => l.Id).ToListAsync(cancellationToken);
            if (leads.Count > 0)
            {
                recipients ??= await NotificationPreferencesStore.RecipientsAsync(db, cancellationToken);
                var escalation = EscalationList(recipients, settings.EscalateTo);
                var admins = recipients.Where(r => r.IsAdmin).ToList();
                foreach (var lead in leads)
                {
                    var owner = lead.OwnerId is { } ownerId ? recipients.FirstOrDefault(r => r.UserId == ownerId) : null;
                    var ownerName = lead.OwnerId is null ? null : owner?.DisplayName ?? owner?.Email ?? await OwnerNameAsync(db, lead.OwnerId, cancellationToken);
                    List<Recipient> told = lead.OwnerId is null ? admins : owner is { Settings.TaskReminders: true } ? [owner] : [];
                    foreach (var recipient in told.Concat(escalation).DistinctBy(r => r.UserId))
                    {
                        mails.Add(MailQueue.Create(MailKind.ResponseOverdue, Key(lead, "overdue", recipient.UserId), recipient.Email, recipient.UserId, lead.Id,
                            composer.ResponseOverdue(lead, lead.ResponseDueAt!.Value, ownerName, recipient.Settings.TimeZone), now));
                    }
                }
            }
        }

        if (now > escalated.Value)
        {
            escalated.Value = now;
        }

        return await MailQueue.AddAsync(db, mails, cancellationToken);
    }

    /// <summary>Leads whose clock runs: unanswered, not closed, with a due time (so not DNC and not test leads).</summary>
    private static IQueryable<Lead> Running(LeadPortalDbContext db) => db.Leads.AsNoTracking()
        .Where(l => l.FirstResponseAt == null && l.ResponseDueAt != null && !l.IsTest
            && l.Status != LeadStatus.Converted && l.Status != LeadStatus.Disqualified);

    private static string Key(Lead lead, string stage, string userId) =>
        $"lead:{lead.Id}:{stage}:{lead.ResponseDueAt!.Value.Ticks}:{userId}";

    /// <summary>The escalation list's users (named by id or address) who can get mail; unknown and disabled ones are left out.</summary>
    private static List<Recipient> EscalationList(List<Recipient> recipients, IReadOnlyList<string> names) =>
        recipients.Where(r => names.Any(n => string.Equals(n, r.UserId, StringComparison.Ordinal) || string.Equals(n, r.Email, StringComparison.OrdinalIgnoreCase)))
            .ToList();

    /// <summary>A disabled owner is no recipient, but the mail still names them.</summary>
    private static Task<string?> OwnerNameAsync(LeadPortalDbContext db, string ownerId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Where(u => u.Id == ownerId).Select(u => u.DisplayName ?? u.Email ?? u.UserName).FirstOrDefaultAsync(cancellationToken);

    /// <summary>A mark's row, tracked (the caller's save moves it); the first round ever starts from now.</summary>
    private static async Task<Mark> MarkAsync(LeadPortalDbContext db, string key, DateTime now, CancellationToken cancellationToken)
    {
        var row = await db.StoreSettings.SingleOrDefaultAsync(s => s.Key == key, cancellationToken);
        if (row is null)
        {
            db.StoreSettings.Add(row = new StoreSetting { Key = key, Value = now.Ticks.ToString(CultureInfo.InvariantCulture) });
        }

        return new Mark(row);
    }

    private sealed class Mark(StoreSetting row)
    {
        public DateTime Value
        {
            get => long.TryParse(row.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? new DateTime(ticks, DateTimeKind.Utc) : DateTime.MinValue;
            set => row.Value = value.Ticks.ToString(CultureInfo.InvariantCulture);
        }
    }
}
