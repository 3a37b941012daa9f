using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Shared;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Leads;

public sealed record CountBy(string Key, string Label, int Count);

/// <summary>How one offer's or source's leads are rated.</summary>
public sealed record QualityMix(string Key, string Label, int High, int Medium, int Low, int Unrated)
{
    public int Total => High + Medium + Low + Unrated;

    public int Of(QualityRating rating) => rating switch
    {
        QualityRating.High => High,
        QualityRating.Medium => Medium,
        QualityRating.Low => Low,
        _ => Unrated,
    };
}

public sealed record DashboardData(
    int Today,
    int Last7Days,
    int Last30Days,
    IReadOnlyList<(DateOnly Day, int Count)> PerDay,
    IReadOnlyList<CountBy> ByAction,
    IReadOnlyList<CountBy> TopOffers,
    IReadOnlyList<CountBy> TopCountries,
    int InRange,
    IReadOnlyList<QualityMix>? QualityByOffer = null,
    IReadOnlyList<QualityMix>? QualityBySource = null,
    IReadOnlyList<CountBy>? ByCampaign = null);

/// <summary>Disqualified leads of one offer and reason (<see cref="ReasonId"/> null: none recorded, or its reason deleted).</summary>
public sealed record DropCount(string? OfferId, int? ReasonId, string Reason, int Count);

/// <summary>"Why we drop leads": disqualified leads received in a range, by offer and reason, and the offers' titles.</summary>
public sealed record DropReasons(IReadOnlyList<DropCount> Counts, IReadOnlyDictionary<string, string> OfferTitles)
{
    /// <summary>Counts per reason, most first, for one offer or (null) all of them.</summary>
    public IReadOnlyList<CountBy> For(string? offerId) => Counts.Where(c => offerId is null || c.OfferId == offerId)
        .GroupBy(c => (c.ReasonId, c.Reason)).Select(g => new CountBy(g.Key.ReasonId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", g.Key.Reason, g.Sum(c => c.Count)))
        .OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The offers that dropped leads, most drops first.</summary>
    public IReadOnlyList<(string Id, string Title)> Offers => Counts.Where(c => c.OfferId is not null).GroupBy(c => c.OfferId!)
        .OrderByDescending(g => g.Sum(c => c.Count)).Select(g => (g.Key, OfferTitles.GetValueOrDefault(g.Key) ?? g.Key)).ToList();
}

/// <summary>The dashboard's figures, each an aggregate query in the database; test leads never count.</summary>
public sealed class LeadStats(IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Disqualified leads received in the range (local days in <paramref name="zone"/>), by offer and reason.</summary>
    public async Task<DropReasons> GetDropReasonsAsync(DateOnly from, DateOnly to, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        if (to < from)
        {
            (from, to) = (to, from);
        }

        var start = ViewerClock.StartOfDayUtc(from, zone);
        var end = ViewerClock.StartOfDayUtc(to.AddDays(1), zone);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var counts = await db.Leads.AsNoTracking().WithoutTestLeads()
            .Where(l => l.Status == LeadStatus.Disqualified && l.ReceivedAt >= start && l.ReceivedAt < end)
            .GroupBy(l => new { l.OfferId, l.DisqualifyReasonId })
            .Select(g => new { g.Key.OfferId, g.Key.DisqualifyReasonId, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var names = await db.DisqualifyReasons.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name, cancellationToken);
        var offerIds = counts.Where(c => c.OfferId is not null).Select(c => c.OfferId!).Distinct().ToList();
        var titles = new Dictionary<string, string>();
        foreach (var offerId in offerIds)
        {
            if (await db.Leads.AsNoTracking().Where(l => l.OfferId == offerId && l.OfferTitle != null)
                .OrderByDescending(l => l.ReceivedAt).Select(l => l.OfferTitle).FirstOrDefaultAsync(cancellationToken) is { } title)
            {
                titles[offerId] = title;
            }
        }

        return new DropReasons(
            counts.Select(c => new DropCount(c.OfferId, c.DisqualifyReasonId is { } id && names.ContainsKey(id) ? id : null,
                c.DisqualifyReasonId is { } known && names.TryGetValue(known, out var name) ? name : "(no reason recorded)", c.Count)).ToList(),
            titles);
    }

    public async Task<DashboardData> GetAsync(DateOnly from, DateOnly to, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        if (to < from)
        {
            (from, to) = (to, from);
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, zone));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var real = db.Leads.AsNoTracking().WithoutTestLeads();

        var todayStart = ViewerClock.StartOfDayUtc(today, zone);
        var start7 = ViewerClock.StartOfDayUtc(today.AddDays(-6), zone);
        var start30 = ViewerClock.StartOfDayUtc(today.AddDays(-29), zone);
        var last30 = await real.Where(l => l.ReceivedAt >= start30)
            .GroupBy(l => 1)
            .Select(g => new
            {
                Today = g.Count(l => l.ReceivedAt >= todayStart),
                Week = g.Count(l => l.ReceivedAt >= start7),
                Month = g.Count(),
            })
            .SingleOrDefaultAsync(cancellationToken);

        var rangeStart = ViewerClock.StartOfDayUtc(from, zone);
        var rangeEnd = ViewerClock.StartOfDayUtc(to.AddDays(1), zone);
        var inRange = real.Where(l => l.ReceivedAt >= rangeStart && l.ReceivedAt < rangeEnd);

        var buckets = await db.Dialect.CountLeadsPerQuarterHourAsync(db, rangeStart, rangeEnd, cancellationToken);
        var perDay = new SortedDictionary<DateOnly, int>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            perDay[day] = 0;
        }

        foreach (var bucket in buckets)
        {
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(bucket.StartUtc, zone));
            if (perDay.ContainsKey(day))
            {
                perDay[day] += bucket.Count;
            }
        }

        var byAction = await inRange.GroupBy(l => l.ActionCode)
            .Select(g => new { Code = g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).ToListAsync(cancellationToken);
        // Grouped on the feed index alone; the ten titles are then read from each offer's newest lead.
        var offers = await inRange.GroupBy(l => l.OfferId)
            .Select(g => new { Id = g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).Take(10).ToListAsync(cancellationToken);
        var titles = new Dictionary<string, string?>();
        foreach (var offer in offers.Where(o => o.Id is not null))
        {
            titles[offer.Id!] = await db.Leads.AsNoTracking().Where(l => l.OfferId == offer.Id && l.OfferTitle != null)
                .OrderByDescending(l => l.ReceivedAt).Select(l => l.OfferTitle).FirstOrDefaultAsync(cancellationToken);
        }

        var countries = await inRange.GroupBy(l => l.Country)
            .Select(g => new { Country = g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).Take(10).ToListAsync(cancellationToken);

        // The quality mix of the top offers and of every source: one grouped count each.
        var topOffers = offers.Select(o => o.Id).ToList();
        var offerQuality = await inRange.Where(l => topOffers.Contains(l.OfferId))
            .GroupBy(l => new { l.OfferId, l.Quality })
            .Select(g => new { Key = g.Key.OfferId, g.Key.Quality, Count = g.Count() }).ToListAsync(cancellationToken);
        var sourceQuality = await inRange.GroupBy(l => new { l.Source, l.Quality })
            .Select(g => new { Key = g.Key.Source, g.Key.Quality, Count = g.Count() }).ToListAsync(cancellationToken);
        QualityMix Mix(string? key, string label, IEnumerable<(QualityRating Quality, int Count)> counts)
        {
            var by = counts.GroupBy(c => c.Quality).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
            return new QualityMix(key ?? "", label, by.GetValueOrDefault(QualityRating.High), by.GetValueOrDefault(QualityRating.Medium),
                by.GetValueOrDefault(QualityRating.Low), by.GetValueOrDefault(QualityRating.Unrated));
        }

        var qualityByOffer = offers.Select(o => Mix(o.Id, (o.Id is null ? null : titles.GetValueOrDefault(o.Id)) ?? o.Id ?? "(no offer)",
            offerQuality.Where(q => q.Key == o.Id).Select(q => (q.Quality, q.Count)))).ToList();
        var qualityBySource = sourceQuality.GroupBy(q => q.Key)
            .Select(g => Mix(g.Key, g.Key ?? "(unknown)", g.Select(q => (q.Quality, q.Count))))
            .OrderByDescending(m => m.Total).ToList();

        // Leads by campaign: the ten biggest campaign ids in the range, from the campaign index.
        var campaigns = await inRange.Where(l => l.CampaignId != null).GroupBy(l => l.CampaignId)
            .Select(g => new { Id = g.Key, Count = g.Count() })
            .OrderByDescending(g => g.Count).Take(10).ToListAsync(cancellationToken);

        return new DashboardData(
            last30?.Today ?? 0,
            last30?.Week ?? 0,
            last30?.Month ?? 0,
            perDay.Select(p => (p.Key, p.Value)).ToList(),
            byAction.Select(a => new CountBy(a.Code ?? "", LeadActions.Label(a.Code), a.Count)).ToList(),
            offers.Select(o => new CountBy(o.Id ?? "", (o.Id is null ? null : titles.GetValueOrDefault(o.Id)) ?? o.Id ?? "(no offer)", o.Count)).ToList(),
            countries.Select(c => new CountBy(c.Country ?? "", c.Country is null ? "(unknown)" : Shared.Countries.ToName(c.Country), c.Count)).ToList(),
            byAction.Sum(a => a.Count),
            qualityByOffer,
            qualityBySource,
            campaigns.Select(c => new CountBy(c.Id!, c.Id!, c.Count)).ToList());
    }
}
