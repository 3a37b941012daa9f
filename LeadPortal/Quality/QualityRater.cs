using LeadPortal.Data;
using LeadPortal.Shared;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Quality;

/// <summary>
/// Rates tracked leads in the caller's context and transaction: the outbox handler for new leads, the backfill for
/// stored ones. One query a batch counts each address's leads in the hour up to each lead (<see cref="QualityRules.BurstWindow"/>).
/// </summary>
public static class QualityRater
{
    public static async Task RateAsync(LeadPortalDbContext db, IReadOnlyList<Lead> leads, QualityReason switchedOff, CancellationToken cancellationToken)
    {
        if (leads.Count == 0)
        {
            return;
        }

        var bursts = (switchedOff & QualityReason.RepeatedAddress) == 0
            ? await SameAddressCountsAsync(db, leads, cancellationToken)
            : null;
        foreach (var lead in leads)
        {
            var result = QualityRules.Rate(QualityInput.From(lead, bursts?.GetValueOrDefault(lead.Id, 1) ?? 1), switchedOff);
            lead.Quality = result.Rating;
            lead.QualityReasons = result.Reasons;
        }
    }

    /// <summary>
    /// For each lead with an address, how many leads that address sent from an hour before it up to it (itself
    /// included; of two in the same instant, the one stored first counts first). Served by the address's index.
    /// </summary>
    private static async Task<Dictionary<long, int>> SameAddressCountsAsync(LeadPortalDbContext db, IReadOnlyList<Lead> leads, CancellationToken cancellationToken)
    {
        var withAddress = leads.Where(l => l.EmailNormalized is not null).ToList();
        if (withAddress.Count == 0)
        {
            return [];
        }

        var addresses = withAddress.Select(l => l.EmailNormalized!).Distinct().ToList();
        var from = withAddress.Min(l => l.ReceivedAt) - QualityRules.BurstWindow;
        var to = withAddress.Max(l => l.ReceivedAt);
        // Per address, in arrival order (ties by id): each lead's count is then two binary searches, not a scan; a flood
        // of one address (30,000 copies of a lead) costs a sort per batch instead of 500 × 30,000 comparisons.
        var sent = (await db.Leads.AsNoTracking()
                .Where(l => addresses.Contains(l.EmailNormalized!) && l.ReceivedAt >= from && l.ReceivedAt <= to)
                .Select(l => new { l.Id, l.EmailNormalized, l.ReceivedAt })
                .ToListAsync(cancellationToken))
            .GroupBy(l => l.EmailNormalized!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(l => (l.ReceivedAt, l.Id)).Order().ToArray(), StringComparer.Ordinal);
        var counts = new Dictionary<long, int>(withAddress.Count);
        foreach (var lead in withAddress)
        {
            if (!sent.TryGetValue(lead.EmailNormalized!, out var arrivals))
            {
                counts[lead.Id] = 1;
                continue;
            }

            // Leads up to this one, this one included, less those before the hour began.
            var upTo = UpperBound(arrivals, (lead.ReceivedAt, lead.Id));
            var before = LowerBound(arrivals, (lead.ReceivedAt - QualityRules.BurstWindow, long.MinValue));
            var stored = upTo > 0 && arrivals[upTo - 1] == (lead.ReceivedAt, lead.Id);
            // A lead not yet stored (none is, today) still counts itself.
            counts[lead.Id] = Math.Max(1, upTo - before + (stored ? 0 : 1));
        }

        return counts;
    }

    /// <summary>How many entries are at most <paramref name="key"/>.</summary>
    private static int UpperBound((DateTime, long)[] sorted, (DateTime, long) key)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid].CompareTo(key) <= 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>How many entries are below <paramref name="key"/>.</summary>
    private static int LowerBound((DateTime, long)[] sorted, (DateTime, long) key)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid].CompareTo(key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
