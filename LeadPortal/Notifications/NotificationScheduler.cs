using System.Globalization;
using LeadPortal.Background;
using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Leads;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Notifications;

/// <summary>
/// The scheduled part of notifications, on one instance at a time (a lease): each user's daily digest at their time
/// in their zone, task reminders as tasks fall due, the response clocks' reminders and escalations (<see cref="ResponseReminders"/>), and the admin alerts — intake silent too long, a burst of refused deliveries, mail failing, forwarding
/// deliveries parked. Each occurrence is queued once (dedup keys), however often it is checked.
/// </summary>
public sealed class NotificationScheduler(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    IOptions<SmtpOptions> smtp,
    IOptions<NotificationOptions> options,
    MailComposer composer,
    AdminAlerts alerts,
    ResponseReminders responseReminders,
    MailSender sender,
    RefusalLog refusals,
    OutboxSignals signals,
    InstanceIdentity instance,
    TimeProvider time,
    ILogger<NotificationScheduler> logger) : BackgroundService
{
    public const string LeaseName = "notification-scheduler";

    /// <summary>A digest lists this many leads; the rest are counted.</summary>
    public const int DigestMaxListed = 100;

    /// <summary>A digest's "at risk" part lists this many overdue leads, and as many expiring ones; the rest are counted.</summary>
    public const int DigestMaxAtRisk = 20;

    /// <summary>The most task reminders one round queues; the rest go in the next rounds.</summary>
    public const int RemindersPerRound = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!smtp.Value.IsConfigured)
        {
            return;
        }

        // The first round one interval after start: nothing scheduled is ever due to the second.
        using var timer = new PeriodicTimer(options.Value.ScheduleInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Checking digests and alerts failed; trying again at the next interval.");
            }
        }
    }

    /// <summary>One round: digests and alerts due now. Returns how many mails were queued.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await JobLeases.TryTakeAsync(db, LeaseName, instance.Name, options.Value.ScheduleInterval * 3, now, cancellationToken))
        {
            return 0;
        }

        var queued = await QueueDigestsAsync(db, now, cancellationToken) + await QueueTaskRemindersAsync(db, now, cancellationToken)
            + await QueueResponseMailsAsync(db, now, cancellationToken) + await QueueAlertsAsync(db, now, cancellationToken);
        if (queued > 0)
        {
            signals.Mail.Set();
        }

        return queued;
    }

    private async Task<int> QueueDigestsAsync(LeadPortalDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var recipient in (await NotificationPreferencesStore.RecipientsAsync(db, cancellationToken)).Where(r => r.Settings.DailyDigest))
        {
            var zone = TimeZoneInfo.TryFindSystemTimeZoneById(recipient.Settings.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
            var localNow = TimeZoneInfo.ConvertTimeFromUtc(now, zone);
            var today = DateOnly.FromDateTime(localNow);
            if (TimeOnly.FromDateTime(localNow) < recipient.Settings.DigestTime || recipient.Row?.LastDigestDay >= today)
            {
                continue;
            }

            // The digest is the previous whole local day: midnight to midnight in the user's zone, DST days included.
            var day = today.AddDays(-1);
            var from = ToUtc(day, zone);
            var to = ToUtc(today, zone);
            var query = db.Leads.AsNoTracking().Where(l => !l.IsTest && l.ReceivedAt >= from && l.ReceivedAt < to);
            var offers = recipient.Settings.Offers;
            if (offers.Count > 0)
            {
                query = query.Where(l => l.OfferId != null && offers.Contains(l.OfferId));
            }

            var total = await query.CountAsync(cancellationToken);
            var atRisk = await AtRiskAsync(db, now, offers, cancellationToken);
            if (total > 0 || atRisk.Total > 0)
            {
                var leads = await query.OrderBy(l => l.ReceivedAt).ThenBy(l => l.Id).Take(DigestMaxListed).ToListAsync(cancellationToken);
                var content = composer.Digest(day, leads, total - leads.Count, recipient.Settings.TimeZone, atRisk);
                queued += await MailQueue.AddAsync(db, [MailQueue.Create(MailKind.Digest,
                    $"digest:{recipient.UserId}:{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", recipient.Email, recipient.UserId, null, content, now)],
                    cancellationToken);
            }

            // A day without leads sends nothing, and counts as done all the same.
            // (A digest is on only for users who saved settings, so the row is there.)
            var row = await db.NotificationPreferences.SingleAsync(p => p.UserId == recipient.UserId, cancellationToken);
            row.LastDigestDay = today;
            await db.SaveChangesAsync(cancellationToken);
        }

        return queued;
    }

    /// <summary>
    /// The digest's "at risk" part, as the inbox's clock filters mean it: unanswered leads whose first response is overdue
    /// (newest due first), and Contact me leads Partner Center expires within 3 days (soonest first), of the user's offers.
    /// </summary>
    private static async Task<AtRiskLeads> AtRiskAsync(LeadPortalDbContext db, DateTime now, IReadOnlyList<string> offers, CancellationToken cancellationToken)
    {
        var leads = db.Leads.Where(l => l.Status != LeadStatus.Converted && l.Status != LeadStatus.Disqualified);
        if (offers.Count > 0)
        {
            leads = leads.Where(l => l.OfferId != null && offers.Contains(l.OfferId));
        }

        var overdue = LeadQuery.Apply(db, new LeadFilter { Clock = ClockFilter.Overdue }, TimeZoneInfo.Utc, leads, now);
        var expiring = LeadQuery.Apply(db, new LeadFilter { Clock = ClockFilter.Expiring }, TimeZoneInfo.Utc, leads, now);
        return new AtRiskLeads(
            await overdue.OrderByDescending(l => l.ResponseDueAt).ThenBy(l => l.Id).Take(DigestMaxAtRisk).ToListAsync(cancellationToken),
            await overdue.CountAsync(cancellationToken),
            await expiring.OrderBy(l => l.ReceivedAt).ThenBy(l => l.Id).Take(DigestMaxAtRisk).ToListAsync(cancellationToken),
            await expiring.CountAsync(cancellationToken));
    }

    /// <summary>The response clocks' reminders and escalations, queued in one save with the marks that say how far they got.</summary>
    private async Task<int> QueueResponseMailsAsync(LeadPortalDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var queued = await responseReminders.QueueAsync(db, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return queued;
    }

    /// <summary>
    /// One mail to the owner of each open task that fell due, queued in the same save that marks the task reminded:
    /// a crash in between loses nothing and repeats nothing (the dedup key names the task and its due time, so a task
    /// moved later is reminded again). An owner who turned reminders off, or has no address, is not mailed.
    /// </summary>
    private async Task<int> QueueTaskRemindersAsync(LeadPortalDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var due = await db.LeadTasks.Include(t => t.Lead)
            .Where(t => t.DoneAt == null && t.RemindedAt == null && t.DueAt <= now)
            .OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(RemindersPerRound)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var recipients = (await NotificationPreferencesStore.RecipientsAsync(db, cancellationToken)).ToDictionary(r => r.UserId);
        var mails = new List<OutgoingMail>();
        foreach (var task in due)
        {
            task.RemindedAt = now;
            if (task.OwnerId is { } ownerId && recipients.TryGetValue(ownerId, out var owner) && owner.Settings.TaskReminders && task.Lead is { } lead)
            {
                mails.Add(MailQueue.Create(MailKind.TaskDue, $"task:{task.Id}:due:{task.DueAt.Ticks}", owner.Email, owner.UserId, lead.Id,
                    composer.TaskDue(task, lead, owner.Settings.TimeZone), now));
            }
        }

        var queued = await MailQueue.AddAsync(db, mails, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return queued;
    }

    private async Task<int> QueueAlertsAsync(LeadPortalDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var queued = 0;
        var settings = options.Value;
        if (settings.IntakeSilenceAlert > TimeSpan.Zero)
        {
            // Only once a lead has ever arrived: a portal not yet connected to Partner Center is not silent, just new.
            var last = await db.Leads.OrderByDescending(l => l.Id).Select(l => (DateTime?)l.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
            if (last is { } lastAt && now - lastAt >= settings.IntakeSilenceAlert)
            {
                queued += await alerts.QueueAsync(db, $"silence:{lastAt.Ticks}", "no leads have arrived",
                    $"No lead has reached the intake endpoint since {lastAt:yyyy-MM-dd HH:mm} UTC ({Hours(now - lastAt)}). " +
                    "If Partner Center should have sent some, check the lead destination in Partner Center (Validate sends a test lead) and the delivery log.",
                    "/admin/endpoint", "Open the endpoint page", now, cancellationToken);
            }
        }

        if (settings.RefusalBurstAlert > 0)
        {
            var refused = refusals.Recent(int.MaxValue).Sum(r => r.Count);
            if (refused >= settings.RefusalBurstAlert)
            {
                queued += await alerts.QueueAsync(db, $"refusals:{now:yyyyMMddHH}", $"{refused:N0} refused deliveries in the last hour",
                    $"The intake endpoint refused {refused:N0} requests in the last hour (wrong keys, bad bodies or rate limits). " +
                    "A wrong key usually means a key was revoked before Partner Center got the new URL; many clients mean someone is probing the URL.",
                    "/admin/delivery-log", "Open the delivery log", now, cancellationToken);
            }
        }

        if (sender.Health is { FailingSince: { } failingSince, LastError: var error } && now - failingSince >= settings.SmtpFailureAlert)
        {
            queued += await alerts.QueueAsync(db, $"smtp:{failingSince.Ticks}", "e-mail could not be sent",
                $"Mail could not be sent from {failingSince:yyyy-MM-dd HH:mm} UTC: {error}. Notifications were held and go out as the server takes them again.",
                "/admin/mail", "Open the mail page", now, cancellationToken);
        }

        // Parked lately (deliveries are parked 24 h after they were queued, by default): one alert per destination and day.
        var recent = now.AddDays(-2);
        // Not a destination the sender switched off (410 Gone): that parked its queue on purpose, and alerted then.
        var parked = await db.ForwardDeliveries.Where(d => d.Status == OutboxStatus.Parked && d.LeadId != null && d.CreatedAt >= recent)
            .Join(db.ForwardingDestinations.Where(x => x.DisabledAt == null), d => d.DestinationId, x => x.Id, (d, x) => new { x.Id, x.Name })
            .GroupBy(x => new { x.Id, x.Name }).Select(g => new { g.Key.Id, g.Key.Name, Count = g.Count() })
            .ToListAsync(cancellationToken);
        foreach (var destination in parked)
        {
            queued += await alerts.QueueAsync(db, $"forward-parked:{destination.Id}:{now:yyyyMMdd}", $"forwarding to {destination.Name} gave up",
                $"{destination.Count} lead(s) could not be delivered to \"{destination.Name}\" within the retry period and were parked. Replay them once the destination works.",
                $"/admin/forwarding/{destination.Id}", "Open the destination", now, cancellationToken);
        }

        if (queued > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return queued;
    }

    private static DateTime ToUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        // Midnight that does not exist (a DST jump at 00:00) is the first minute that does.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private static string Hours(TimeSpan span) => span.TotalHours >= 48 ? $"{span.TotalDays:0} days" : $"{span.TotalHours:0} hours";
}
