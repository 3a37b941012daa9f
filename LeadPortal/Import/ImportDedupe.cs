using LeadPortal.Data;
using LeadPortal.Intake;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Import;

/// <summary>What a row repeats: a stored lead, or an earlier row of the same file.</summary>
public sealed record ImportRepeat(long? LeadId, int? Row, string? LeadOriginKey);

/// <summary>
/// The matching rule: the same e-mail address (normalised), the same offer (its id when both have one, else its name,
/// ignoring case) and the same action, received within the window either way. Partner Center's download carries no id
/// the webhook had, so this is the only way to tell a row from a lead already stored.
/// </summary>
public sealed class ImportDedupe(TimeSpan window)
{
    private readonly record struct Seen(string? OfferId, string? OfferTitle, string? Action, DateTime At, int Row);

    private readonly Dictionary<string, List<Seen>> _file = new(StringComparer.Ordinal);

    public TimeSpan Window => window;

    public static string Describe(TimeSpan window) =>
        $"the same e-mail address, offer and action, received within {Hours(window)} of each other";

    private static string Hours(TimeSpan window) => window.TotalHours == 1 ? "1 hour" : $"{window.TotalHours:0.#} hours";

    /// <summary>The earlier row of this file the candidate repeats, or null; a new one is remembered.</summary>
    public int? RepeatInFile(ImportCandidate candidate)
    {
        var lead = candidate.Lead;
        if (lead.EmailNormalized is not { } email)
        {
            return null;
        }

        if (!_file.TryGetValue(email, out var seen))
        {
            _file[email] = seen = [];
        }

        foreach (var earlier in seen)
        {
            if (Same(earlier.OfferId, earlier.OfferTitle, earlier.Action, earlier.At, lead, candidate.ReceivedAt))
            {
                return earlier.Row;
            }
        }

        seen.Add(new Seen(lead.OfferId, lead.OfferTitle, lead.ActionCode, candidate.ReceivedAt, candidate.Row));
        return null;
    }

    /// <summary>For each candidate, the stored lead it repeats (the earliest), by row.</summary>
    public async Task<Dictionary<int, (long Id, string? OriginKey)>> FindStoredAsync(
        LeadPortalDbContext db, IReadOnlyList<ImportCandidate> candidates, CancellationToken cancellationToken)
    {
        var found = new Dictionary<int, (long, string?)>();
        var withEmail = candidates.Where(c => c.Lead.EmailNormalized is not null).ToList();
        if (withEmail.Count == 0)
        {
            return found;
        }

        foreach (var chunk in withEmail.Chunk(200))
        {
            var emails = chunk.Select(c => c.Lead.EmailNormalized!).Distinct().ToList();
            var from = chunk.Min(c => c.ReceivedAt) - window;
            var to = chunk.Max(c => c.ReceivedAt) + window;
            // The (EmailNormalized, ReceivedAt) index answers this.
            var stored = await db.Leads.AsNoTracking()
                .Where(l => l.EmailNormalized != null && emails.Contains(l.EmailNormalized) && l.ReceivedAt >= from && l.ReceivedAt <= to)
                .OrderBy(l => l.Id)
                .Select(l => new { l.Id, l.EmailNormalized, l.OfferId, l.OfferTitle, l.ActionCode, l.ReceivedAt, l.OriginKey })
                .ToListAsync(cancellationToken);
            var byEmail = stored.ToLookup(l => l.EmailNormalized!, StringComparer.Ordinal);
            foreach (var candidate in chunk)
            {
                foreach (var lead in byEmail[candidate.Lead.EmailNormalized!])
                {
                    if (Same(lead.OfferId, lead.OfferTitle, lead.ActionCode, lead.ReceivedAt, candidate.Lead, candidate.ReceivedAt))
                    {
                        found[candidate.Row] = (lead.Id, lead.OriginKey);
                        break;
                    }
                }
            }
        }

        return found;
    }

    private bool Same(string? offerId, string? offerTitle, string? action, DateTime at, ParsedLead lead, DateTime receivedAt) =>
        Same(offerId, offerTitle, action, at, lead.OfferId, lead.OfferTitle, lead.ActionCode, receivedAt);

    /// <summary>Whether two leads of the same e-mail address are the same lead by the rule (offer, action, time).</summary>
    public bool Same(string? offerId, string? offerTitle, string? action, DateTime at, string? otherOfferId, string? otherOfferTitle, string? otherAction, DateTime otherAt)
    {
        if ((at - otherAt).Duration() > window || !string.Equals(action, otherAction, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (offerId is not null && otherOfferId is not null)
        {
            return string.Equals(offerId, otherOfferId, StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(offerTitle?.Trim(), otherOfferTitle?.Trim(), StringComparison.OrdinalIgnoreCase);
    }
}
