using LeadPortal.Data;
using LeadPortal.Shared;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Responses;

/// <summary>Time to first response over one week's leads of one owner or action: how many were answered, the median and the 90th percentile.</summary>
public sealed record ResponseTimeRow(DateOnly Week, string Group, int Answered, TimeSpan Median, TimeSpan P90);

public sealed record ResponseFigures(
    IReadOnlyList<ResponseTimeRow> ByAction,
    IReadOnlyList<ResponseTimeRow> ByOwner,
    int ContactMeDue,
    int ContactMeWithin24h,
    int ExpiredUnanswered)
{
    /// <summary>The share of Contact me leads answered within 24 h, of those whose 24 h are over; null when there are none.</summary>
    public double? ContactMeShare => ContactMeDue == 0 ? null : (double)ContactMeWithin24h / ContactMeDue;
}

/// <summary>
/// The dashboard's response-time figures for leads received in a range (test leads and leads without a clock left
/// out). One narrow projection of the range's leads that run a clock, read along the arrival index and grouped here:
/// medians and percentiles are not portable SQL, and a range holds tens of thousands of leads, not millions.
/// </summary>
public sealed class ResponseStats(IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Microsoft's "follow up within 24 hours".</summary>
    public static readonly TimeSpan ContactMeTarget = TimeSpan.FromHours(24);

    public async Task<ResponseFigures> GetAsync(DateOnly from, DateOnly to, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        if (to < from)
        {
            (from, to) = (to, from);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var start = ViewerClock.StartOfDayUtc(from, zone);
        var end = ViewerClock.StartOfDayUtc(to.AddDays(1), zone);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leads = await db.Leads.AsNoTracking()
            .Where(l => !l.IsTest && l.ReceivedAt >= start && l.ReceivedAt < end && l.ResponseDueAt != null)
            .Select(l => new
            {
                l.ReceivedAt,
                l.FirstResponseAt,
                l.ActionCode,
                l.PartnerCenterAcceptedAt,
                Owner = l.Owner != null ? (l.Owner.DisplayName ?? l.Owner.Email) : null,
            })
            .ToListAsync(cancellationToken);

        var answered = leads.Where(l => l.FirstResponseAt is not null)
            .Select(l => (Week: WeekOf(l.ReceivedAt, zone), l.ActionCode, l.Owner, Took: l.FirstResponseAt!.Value - l.ReceivedAt))
            .ToList();
        var contactMe = leads.Where(l => l.ActionCode == LeadActions.ContactMe).ToList();
        var due = contactMe.Where(l => l.ReceivedAt + ContactMeTarget <= now).ToList();
        return new ResponseFigures(
            Rows(answered.Select(a => (a.Week, LeadActions.ShortLabel(a.ActionCode), a.Took))),
            Rows(answered.Select(a => (a.Week, a.Owner ?? "Unassigned", a.Took))),
            due.Count,
            due.Count(l => l.FirstResponseAt is { } at && at - l.ReceivedAt <= ContactMeTarget),
            contactMe.Count(l => l.ReceivedAt + ResponseClock.PartnerCenterKeeps <= now && l.PartnerCenterAcceptedAt is null
                && (l.FirstResponseAt is null || l.FirstResponseAt > l.ReceivedAt + ResponseClock.PartnerCenterKeeps)));
    }

    /// <summary>The Monday a lead's week starts on, in the viewer's zone.</summary>
    public static DateOnly WeekOf(DateTime utc, TimeZoneInfo zone)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone));
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    /// <summary>
    /// The nearest-rank percentile (the smallest value with at least <paramref name="percent"/>% of values at or below
    /// it): always one of the times measured, so a median of two answers is the faster one's, not an average.
    /// </summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, int percent)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }

        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    private static List<ResponseTimeRow> Rows(IEnumerable<(DateOnly Week, string Group, TimeSpan Took)> answers) =>
        answers.GroupBy(a => (a.Week, a.Group))
            .Select(g =>
            {
                var sorted = g.Select(a => a.Took < TimeSpan.Zero ? TimeSpan.Zero : a.Took).Order().ToList();
                return new ResponseTimeRow(g.Key.Week, g.Key.Group, sorted.Count, Percentile(sorted, 50), Percentile(sorted, 90));
            })
            .OrderByDescending(r => r.Week).ThenBy(r => r.Group, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
}
