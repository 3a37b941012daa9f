using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadPortal.Admin;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Privacy;

/// <summary>One lead of the person, as the preview lists it.</summary>
public sealed record PersonLead(long Id, DateTime ReceivedAt, string? Name, string? Company, string? OfferTitle, bool IsTest);

/// <summary>What erasing an address would remove or blank, counted before anything goes.</summary>
public sealed record ErasePreview(
    string Address, IReadOnlyList<PersonLead> Leads, int Notes, int ExportMarks, int Mail, int PendingMail, int ForwardDeliveries,
    int PendingForwardDeliveries, int DeliveryBodyStarts, int OtherMentions)
{
    public bool IsEmpty => Leads.Count == 0 && DeliveryBodyStarts == 0 && OtherMentions == 0;

    public string Summary =>
        $"{Leads.Count} lead(s), {Notes} note(s) and other activity, {ExportMarks} export mark(s), {Mail} e-mail(s) ({PendingMail} not sent yet), "
        + $"{ForwardDeliveries} forwarding deliveries ({PendingForwardDeliveries} not delivered yet), {DeliveryBodyStarts} delivery-log body start(s), "
        + $"{OtherMentions} other mention(s) (export filters, saved views, audit details, digests)";
}

/// <summary>
/// A person's data, found by e-mail address: shown before it goes, erased (each lead with everything that refers to it
/// in one transaction; the address and the person's name blanked where they are only mentioned), or exported as JSON
/// (a data-subject access request). The audit log records that it happened and the counts, never the address.
/// </summary>
public sealed class PersonalData(IDbContextFactory<LeadPortalDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public const string Erased = "[erased]";

    /// <summary>The address as leads keep it for matching (trimmed, lower case), or null when it is not an address.</summary>
    public static string? Normalize(string? address)
    {
        var trimmed = address?.Trim().ToLowerInvariant();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > 320 || trimmed.IndexOf('@') is <= 0 || trimmed.EndsWith('@') || trimmed.Any(char.IsWhiteSpace)
            ? null
            : trimmed;
    }

    public async Task<ErasePreview> PreviewAsync(string address, CancellationToken cancellationToken = default)
    {
        var normalized = Normalize(address) ?? throw new ArgumentException("Enter an e-mail address.", nameof(address));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leads = await db.Leads.AsNoTracking().Where(l => l.EmailNormalized == normalized).OrderBy(l => l.ReceivedAt)
            .Select(l => new PersonLead(l.Id, l.ReceivedAt, ((l.FirstName ?? "") + " " + (l.LastName ?? "")).Trim(), l.Company, l.OfferTitle, l.IsTest))
            .ToListAsync(cancellationToken);
        var ids = leads.Select(l => l.Id).ToList();
        var mentions = await MentionsAsync(db, normalized, Names(await NamesAsync(db, ids, cancellationToken)), ids, cancellationToken);
        return new ErasePreview(
            normalized,
            leads,
            await db.LeadActivities.CountAsync(a => ids.Contains(a.LeadId), cancellationToken),
            await db.ExportRunLeads.CountAsync(r => ids.Contains(r.LeadId), cancellationToken),
            await db.MailOutbox.CountAsync(m => m.LeadId != null && ids.Contains(m.LeadId.Value), cancellationToken),
            await db.MailOutbox.CountAsync(m => m.LeadId != null && ids.Contains(m.LeadId.Value) && m.Status != OutboxStatus.Done, cancellationToken),
            await db.ForwardDeliveries.CountAsync(d => d.LeadId != null && ids.Contains(d.LeadId.Value), cancellationToken),
            await db.ForwardDeliveries.CountAsync(d => d.LeadId != null && ids.Contains(d.LeadId.Value) && d.Status != OutboxStatus.Done, cancellationToken),
            mentions.DeliveryLog.Count,
            mentions.Total - mentions.DeliveryLog.Count);
    }

    /// <summary>Erases the person: each lead in its own transaction, then every mention of the address (and name) blanked.</summary>
    public async Task<ErasePreview> EraseAsync(ClaimsPrincipal actor, string address, CancellationToken cancellationToken = default)
    {
        var preview = await PreviewAsync(address, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = Names(await NamesAsync(db, preview.Leads.Select(l => l.Id).ToList(), cancellationToken));
        foreach (var lead in preview.Leads)
        {
            await EraseLeadAsync(db, lead.Id, cancellationToken);
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var mentions = await MentionsAsync(db, preview.Address, names, [], cancellationToken);
            var pattern = new Regex(string.Join("|", Needles(preview.Address, names).OrderByDescending(n => n.Length).Select(Regex.Escape)), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            string? Blank(string? text) => text is null ? null : pattern.Replace(text, Erased);
            foreach (var entry in mentions.DeliveryLog)
            {
                entry.BodyStart = Blank(entry.BodyStart);
                entry.Reason = Blank(entry.Reason);
            }

            foreach (var run in mentions.ExportRuns)
            {
                run.FilterDescription = Blank(run.FilterDescription)!;
                run.FilterQuery = Blank(run.FilterQuery)!;
            }

            foreach (var view in mentions.Views)
            {
                view.Query = Blank(view.Query)!;
            }

            foreach (var settings in mentions.Settings)
            {
                settings.LastQuery = Blank(settings.LastQuery);
            }

            foreach (var entry in mentions.Audit)
            {
                entry.Target = Blank(entry.Target);
                entry.Details = Blank(entry.Details);
            }

            foreach (var mail in mentions.Mail)
            {
                mail.Subject = Blank(mail.Subject)!;
                mail.TextBody = Blank(mail.TextBody)!;
                mail.HtmlBody = Blank(mail.HtmlBody)!;
            }

            foreach (var activity in mentions.Activities)
            {
                activity.Text = Blank(activity.Text);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await audit.RecordAsync(actor, AuditActions.PersonErased, "A person (the address is not recorded)", preview.Summary, cancellationToken);
        return preview;
    }

    /// <summary>One lead and everything that points at it, in one transaction (payload, activity, export marks and forwarding go by cascade).</summary>
    private static async Task EraseLeadAsync(LeadPortalDbContext db, long id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.OutboxEvents.Where(e => e.LeadId == id).ExecuteDeleteAsync(cancellationToken);
        await db.MailOutbox.Where(m => m.LeadId == id).ExecuteDeleteAsync(cancellationToken);
        await db.DeliveryLog.Where(d => d.LeadId == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.LeadId, (long?)null), cancellationToken);
        await db.Leads.Where(l => l.Id == id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The person's data as one JSON document: every lead (parsed fields, raw body, activity), its e-mails and forwarding.</summary>
    public async Task WriteExportAsync(ClaimsPrincipal actor, string address, Stream output, CancellationToken cancellationToken = default)
    {
        var normalized = Normalize(address) ?? throw new ArgumentException("Enter an e-mail address.", nameof(address));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leads = await db.Leads.AsNoTracking().Include(l => l.Payload).Where(l => l.EmailNormalized == normalized).OrderBy(l => l.ReceivedAt)
            .ToListAsync(cancellationToken);
        var ids = leads.Select(l => l.Id).ToList();
        var activity = (await db.LeadActivities.AsNoTracking().Where(a => ids.Contains(a.LeadId)).OrderBy(a => a.Id).ToListAsync(cancellationToken)).ToLookup(a => a.LeadId);
        var mail = (await db.MailOutbox.AsNoTracking().Where(m => m.LeadId != null && ids.Contains(m.LeadId.Value)).ToListAsync(cancellationToken)).ToLookup(m => m.LeadId!.Value);
        var forwards = (await db.ForwardDeliveries.AsNoTracking().Where(d => d.LeadId != null && ids.Contains(d.LeadId.Value))
            .Join(db.ForwardingDestinations, d => d.DestinationId, f => f.Id, (d, f) => new { d.LeadId, Destination = f.Name, d.Status, d.CreatedAt, d.DeliveredAt })
            .ToListAsync(cancellationToken)).ToLookup(d => d.LeadId!.Value);
        var exports = (await db.ExportRunLeads.AsNoTracking().Where(r => ids.Contains(r.LeadId))
            .Join(db.ExportRuns, r => r.ExportRunId, e => e.Id, (r, e) => new { r.LeadId, e.At, e.ProfileName })
            .ToListAsync(cancellationToken)).ToLookup(r => r.LeadId);

        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("address", normalized);
        json.WriteString("exportedAt", time.GetUtcNow().UtcDateTime);
        json.WriteString("note", "Every lead LeadPortal holds for this address, as received from Microsoft's commercial marketplace and as worked since.");
        json.WriteStartArray("leads");
        foreach (var lead in leads)
        {
            json.WriteStartObject();
            json.WriteNumber("id", lead.Id);
            json.WriteString("receivedAt", lead.ReceivedAt);
            foreach (var (name, value) in new (string, string?)[]
            {
                ("firstName", lead.FirstName), ("lastName", lead.LastName), ("email", lead.Email), ("phone", lead.Phone), ("company", lead.Company),
                ("title", lead.Title), ("country", lead.Country), ("offer", lead.OfferTitle), ("offerId", lead.OfferId), ("action", lead.ActionCode),
                ("source", lead.Source), ("description", lead.Description), ("status", lead.Status.ToString()),
                ("followUpOn", lead.FollowUpOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            })
            {
                json.WriteString(name, value);
            }

            // The body exactly as Partner Center sent it.
            json.WriteString("rawBody", lead.Payload?.Body);
            json.WriteStartArray("activity");
            foreach (var item in activity[lead.Id])
            {
                json.WriteStartObject();
                json.WriteString("at", item.At);
                json.WriteString("kind", item.Kind.ToString());
                json.WriteString("from", item.FromValue);
                json.WriteString("to", item.ToValue);
                json.WriteString("text", item.Text);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("exports");
            foreach (var item in exports[lead.Id])
            {
                json.WriteStartObject();
                json.WriteString("at", item.At);
                json.WriteString("profile", item.ProfileName);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("forwarded");
            foreach (var item in forwards[lead.Id])
            {
                json.WriteStartObject();
                json.WriteString("destination", item.Destination);
                json.WriteString("status", item.Status.ToString());
                json.WriteString("queuedAt", item.CreatedAt);
                if (item.DeliveredAt is { } delivered)
                {
                    json.WriteString("deliveredAt", delivered);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("emailsAboutThisLead");
            foreach (var item in mail[lead.Id])
            {
                json.WriteStartObject();
                json.WriteString("subject", item.Subject);
                json.WriteString("status", item.Status.ToString());
                json.WriteString("queuedAt", item.CreatedAt);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.PersonExported, "A person (the address is not recorded)", $"{leads.Count} lead(s)", cancellationToken);
    }

    /// <summary>What is searched for and blanked: the address, as written and URL-encoded (in saved views and export filters), and the names.</summary>
    private static string[] Needles(string address, List<string> names) =>
        new[] { address, Uri.EscapeDataString(address).ToLowerInvariant() }.Concat(names.Select(n => n.ToLowerInvariant())).Distinct().ToArray();

    private static async Task<List<(string? First, string? Last)>> NamesAsync(LeadPortalDbContext db, List<long> ids, CancellationToken cancellationToken) =>
        (await db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)).Select(l => new { l.FirstName, l.LastName }).ToListAsync(cancellationToken))
        .Select(n => (n.FirstName, n.LastName)).ToList();

    /// <summary>"First Last" of the person's leads (only whole names of some length: "Al" alone would blank too much).</summary>
    private static List<string> Names(IEnumerable<(string? First, string? Last)> names) =>
        names.Select(n => $"{n.First?.Trim()} {n.Last?.Trim()}".Trim()).Where(n => n.Contains(' ', StringComparison.Ordinal) && n.Length >= 5)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private sealed record Mentions(
        List<DeliveryLogEntry> DeliveryLog, List<ExportRun> ExportRuns, List<SavedView> Views, List<InboxSettings> Settings, List<AuditEntry> Audit,
        List<OutgoingMail> Mail, List<LeadActivity> Activities)
    {
        public int Total => DeliveryLog.Count + ExportRuns.Count + Views.Count + Settings.Count + Audit.Count + Mail.Count + Activities.Count;
    }

    /// <summary>Rows that mention the address (or one of the names) without belonging to the person's leads.</summary>
    private static async Task<Mentions> MentionsAsync(LeadPortalDbContext db, string address, List<string> names, List<long> ownLeads, CancellationToken cancellationToken)
    {
        var own = ownLeads.ToHashSet();
        var needles = Needles(address, names);
        // Lower-cased on both sides: portable, and the tables searched are small (logs, history, settings).
        async Task<List<T>> FindAsync<T>(IQueryable<T> rows, Func<string, System.Linq.Expressions.Expression<Func<T, bool>>> mentions)
            where T : class
        {
            var found = new List<T>();
            foreach (var needle in needles)
            {
                found.AddRange(await rows.Where(mentions(needle)).ToListAsync(cancellationToken));
            }

            return found.Distinct().ToList();
        }

        return new Mentions(
            await FindAsync(db.DeliveryLog, n => d => (d.BodyStart != null && d.BodyStart.ToLower().Contains(n)) || (d.Reason != null && d.Reason.ToLower().Contains(n))),
            await FindAsync(db.ExportRuns, n => r => r.FilterDescription.ToLower().Contains(n) || r.FilterQuery.ToLower().Contains(n)),
            await FindAsync(db.SavedViews, n => v => v.Query.ToLower().Contains(n)),
            await FindAsync(db.InboxSettings, n => s => s.LastQuery != null && s.LastQuery.ToLower().Contains(n)),
            await FindAsync(db.AuditLog, n => a => (a.Target != null && a.Target.ToLower().Contains(n)) || (a.Details != null && a.Details.ToLower().Contains(n))),
            (await FindAsync(db.MailOutbox, n => m => m.Subject.ToLower().Contains(n) || m.TextBody.ToLower().Contains(n) || m.HtmlBody.ToLower().Contains(n)))
                .Where(m => m.LeadId is not { } id || !own.Contains(id)).ToList(),
            (await FindAsync(db.LeadActivities, n => a => a.Text != null && a.Text.ToLower().Contains(n))).Where(a => !own.Contains(a.LeadId)).ToList());
    }
}
