using System.Security.Claims;
using System.Text.Json;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Quality;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Privacy;

/// <summary>One lead of the person, as the preview lists it.</summary>
public sealed record PersonLead(long Id, DateTime ReceivedAt, string? Name, string? Company, string? OfferTitle, bool IsTest);

/// <summary>What erasing an address removes, counted before anything goes (mentions elsewhere are found while erasing).</summary>
public sealed record ErasePreview(
    string Address, IReadOnlyList<PersonLead> Leads, int LeadCount, int Notes, int ExportMarks, int Mail, int PendingMail, int ForwardDeliveries,
    int PendingForwardDeliveries)
{
    /// <summary>The preview lists this many leads, the newest; the rest are counted.</summary>
    public const int Listed = 200;

    public bool IsEmpty => LeadCount == 0;
}

/// <summary>
/// A person's data, found by e-mail address: shown before it goes, erased (see <see cref="ErasureJob"/>), or exported as
/// JSON (a data-subject access request). The audit log records that it happened and the counts, never the address.
/// </summary>
public sealed class PersonalData(IDbContextFactory<LeadPortalDbContext> dbFactory, ErasureJob erasure, AuditLog audit, TimeProvider time)
{
    public const string Erased = "[erased]";

    /// <summary>
    /// The address as leads keep it for matching (<see cref="EmailFacts.Normalized"/>: lower case, an internationalised
    /// domain in punycode), or null when it is not an address. An address a mail server would refuse is still looked for,
    /// in lower case as it came: a person's data is found by what they sent.
    /// </summary>
    public static string? Normalize(string? address)
    {
        var trimmed = address?.Trim().ToLowerInvariant();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > 320 || trimmed.IndexOf('@') is <= 0 || trimmed.EndsWith('@') || trimmed.Any(char.IsWhiteSpace)
            ? null
            : EmailFacts.Parse(trimmed).Normalized;
    }

    /// <summary>
    /// The leads of a normalised address, in every form a stored lead may keep it in (<see cref="EmailFacts.MatchForms"/>):
    /// a lead stored before punycode normalisation is found, and erased, until it is reprocessed.
    /// </summary>
    public static IQueryable<Lead> OfPerson(IQueryable<Lead> leads, string normalized)
    {
        var forms = EmailFacts.MatchForms(normalized);
        if (forms.Count == 1)
        {
            return leads.Where(l => l.EmailNormalized == normalized);
        }

        var (first, second) = (forms[0], forms[1]);
        return leads.Where(l => l.EmailNormalized == first || l.EmailNormalized == second);
    }

    /// <summary>
    /// The person's leads and what refers to them, each count one indexed query (by address, then by lead id): a person
    /// with thousands of leads is previewed as fast as one with one. Free-text mentions elsewhere would need every log,
    /// mail and note read, so the erasure finds those, and says how many it blanked.
    /// </summary>
    public async Task<ErasePreview> PreviewAsync(string address, CancellationToken cancellationToken = default)
    {
        var normalized = Normalize(address) ?? throw new ArgumentException("Enter an e-mail address.", nameof(address));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var person = OfPerson(db.Leads.AsNoTracking(), normalized);
        var ids = person.Select(l => l.Id);
        var leads = await person.OrderByDescending(l => l.ReceivedAt).Take(ErasePreview.Listed)
            .Select(l => new PersonLead(l.Id, l.ReceivedAt, ((l.FirstName ?? "") + " " + (l.LastName ?? "")).Trim(), l.Company, l.OfferTitle, l.IsTest))
            .ToListAsync(cancellationToken);
        return new ErasePreview(
            normalized,
            leads,
            leads.Count < ErasePreview.Listed ? leads.Count : await person.CountAsync(cancellationToken),
            await db.LeadActivities.CountAsync(a => ids.Contains(a.LeadId), cancellationToken),
            await db.ExportRunLeads.CountAsync(r => ids.Contains(r.LeadId), cancellationToken),
            await db.MailOutbox.CountAsync(m => m.LeadId != null && ids.Contains(m.LeadId.Value), cancellationToken),
            await db.MailOutbox.CountAsync(m => m.LeadId != null && ids.Contains(m.LeadId.Value) && m.Status != OutboxStatus.Done, cancellationToken),
            await db.ForwardDeliveries.CountAsync(d => d.LeadId != null && ids.Contains(d.LeadId.Value), cancellationToken),
            await db.ForwardDeliveries.CountAsync(d => d.LeadId != null && ids.Contains(d.LeadId.Value) && d.Status != OutboxStatus.Done, cancellationToken));
    }

    /// <summary>What the store keeps of erased rows that LeadPortal cannot reach, in this store's own terms.</summary>
    public async Task<string> StoreLimitsAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return db.Dialect.ErasureLimits;
    }

    /// <summary>Erases the person and waits for the job to finish on this instance: what it removed and blanked.</summary>
    public async Task<ErasureResult> EraseAsync(ClaimsPrincipal actor, string address, CancellationToken cancellationToken = default)
    {
        if (await erasure.StartAsync(actor, address, cancellationToken) is { } refused)
        {
            throw new InvalidOperationException(refused);
        }

        await (erasure.Current ?? Task.CompletedTask).WaitAsync(cancellationToken);
        var progress = await erasure.GetProgressAsync(cancellationToken);
        return progress.Result ?? throw new InvalidOperationException(progress.Error ?? "The erasure did not finish; it is resumed from where it stopped.");
    }

    /// <summary>What identifies the person in free text: the address, and the names, phones and companies of their leads.</summary>
    public static async Task<PersonTraits> TraitsAsync(LeadPortalDbContext db, string address, CancellationToken cancellationToken)
    {
        var rows = await OfPerson(db.Leads.AsNoTracking(), address)
            .Select(l => new { l.FirstName, l.LastName, l.Phone, l.Company }).Distinct().ToListAsync(cancellationToken);
        return new PersonTraits(
            address,
            rows.Select(r => $"{r.FirstName?.Trim()} {r.LastName?.Trim()}".Trim()).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            rows.Select(r => r.Phone?.Trim()).OfType<string>().Where(p => p.Length > 0).Distinct().ToList(),
            rows.Select(r => r.Company?.Trim()).OfType<string>().Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList());
    }

    /// <summary>
    /// Leads and everything that points at them, in the caller's transaction (payload, activity, export marks and forwarding
    /// go by cascade; the delivery log keeps its rows, without the link). Retention deletes the same way.
    /// </summary>
    public static async Task<int> DeleteLeadsAsync(LeadPortalDbContext db, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await db.Dialect.LockLeadsAsync(db, ids, cancellationToken);
        await db.OutboxEvents.Where(e => ids.Contains(e.LeadId)).ExecuteDeleteAsync(cancellationToken);
        await db.MailOutbox.Where(m => m.LeadId != null && ids.Contains(m.LeadId.Value)).ExecuteDeleteAsync(cancellationToken);
        await db.DeliveryLog.Where(d => d.LeadId != null && ids.Contains(d.LeadId.Value))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeadId, (long?)null), cancellationToken);
        return await db.Leads.Where(l => ids.Contains(l.Id)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The person's data as one JSON document: every lead (parsed fields, raw body, activity), its e-mails and forwarding.</summary>
    public async Task WriteExportAsync(ClaimsPrincipal actor, string address, Stream output, CancellationToken cancellationToken = default)
    {
        var normalized = Normalize(address) ?? throw new ArgumentException("Enter an e-mail address.", nameof(address));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leads = await OfPerson(db.Leads.AsNoTracking().Include(l => l.Payload), normalized).OrderBy(l => l.ReceivedAt)
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
                ("disqualifyNote", lead.DisqualifyNote), ("crmId", lead.CrmId),
            })
            {
                json.WriteString(name, value);
            }

            // What LeadPortal worked out from the fields above: personal data too, each a value of its own.
            json.WriteStartObject("derived");
            json.WriteString("emailNormalized", lead.EmailNormalized);
            json.WriteString("emailValidity", lead.EmailValidity.ToString());
            json.WriteBoolean("emailIsRoleAddress", lead.EmailIsRole);
            json.WriteString("phoneE164", lead.PhoneE164);
            json.WriteString("phoneNational", lead.PhoneNational);
            json.WriteString("phoneExtension", lead.PhoneExtension);
            json.WriteString("phoneType", lead.PhoneType.ToString());
            json.WriteString("phoneValidity", lead.PhoneValidity.ToString());
            json.WriteString("emailDomainKind", lead.EmailDomainKind.ToString());
            json.WriteString("companyDomain", lead.CompanyDomain);
            json.WriteString("quality", lead.Quality.ToString());
            json.WriteStartArray("qualityReasons");
            foreach (var rule in Quality.QualityRules.Explain(lead.QualityReasons))
            {
                json.WriteStartObject();
                json.WriteString("reason", rule.Key);
                json.WriteString("says", rule.Says);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("campaignId", lead.CampaignId);
            json.WriteString("campaignSource", lead.CampaignSource);
            json.WriteStartObject("campaignFields");
            foreach (var (key, value) in Campaigns.CampaignFields.FromJson(lead.CampaignFields).Fields)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();

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
}
