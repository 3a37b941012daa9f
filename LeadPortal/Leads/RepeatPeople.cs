using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Leads;

/// <summary>A lead whose person has other leads: "3rd lead · last 12 days ago".</summary>
/// <param name="Ordinal">This lead's place among the person's leads, oldest first (counted up to <paramref name="Cap"/> + 1).</param>
/// <param name="Total">The person's leads, this one included (counted up to <paramref name="Cap"/> + 1).</param>
/// <param name="LatestOther">When the person's newest other lead arrived.</param>
/// <param name="Cap">Where the counts stopped (<see cref="RepeatPeople.Cap"/>).</param>
public sealed record RepeatMark(int Ordinal, int Total, DateTime LatestOther, int Cap = RepeatPeople.Cap)
{
    public string Text(DateTime nowUtc) => $"{Place} · last {Ago(nowUtc)}";

    public string Title(DateTime nowUtc) => Total > Cap
        ? $"This person sent more than {Cap} leads; their newest other lead arrived {Ago(nowUtc)}."
        : $"This person's lead {Ordinal} of {Total} (same e-mail address, or phone number without one); their newest other lead arrived {Ago(nowUtc)}.";

    private string Place => Ordinal > Cap ? $"{Cap}+ leads" : $"{Nth(Ordinal)} lead";

    // Whole days elapsed, so the words do not depend on the viewer's zone.
    private string Ago(DateTime nowUtc) => (int)Math.Floor((nowUtc - LatestOther).TotalDays) switch
    {
        <= 0 => "today",
        1 => "1 day ago",
        var days => $"{days} days ago",
    };

    public static string Nth(int n) => (n % 100) switch
    {
        11 or 12 or 13 => $"{n}th",
        _ => (n % 10) switch { 1 => $"{n}st", 2 => $"{n}nd", 3 => $"{n}rd", _ => $"{n}th" },
    };
}

/// <summary>
/// Which of a page's leads come from a person with other leads. A person is the normalised e-mail address, or the
/// E.164 number for a lead without one (decision 004's facts). Nothing is merged: the marks are read, never stored.
/// </summary>
public sealed class RepeatPeople(IDbContextFactory<LeadPortalDbContext> dbFactory, int cap = RepeatPeople.Cap)
{
    /// <summary>Counts stop here, so an address shared by thousands of leads (a test address) costs what 100 do.</summary>
    public const int Cap = 99;

    /// <summary>The marks of the given leads (a page: at most <see cref="LeadQuery.MaxPageSize"/>); leads without one are absent.</summary>
    public async Task<IReadOnlyDictionary<long, RepeatMark>> ForLeadsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<long, RepeatMark>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var page = db.Dialect.LeadsWithIds(db, ids).AsNoTracking();
        // Three correlated subqueries per row, each a range of one index: IX_Leads_EmailNormalized_ReceivedAt for an
        // address, IX_Leads_PhoneE164_ReceivedAt for a number. The counts stop after the cap (LIMIT inside the
        // subquery), and the newest other lead is ORDER BY ReceivedAt DESC LIMIT 1 on the same index, read backwards
        // until the first entry that is not this lead (a MAX with "Id <> this one" would read all the person's entries).
        // SQLite's EXPLAIN QUERY PLAN (checked): "SEARCH l USING INTEGER PRIMARY KEY", then per row "CORRELATED SCALAR
        // SUBQUERY: SEARCH l0 USING COVERING INDEX IX_Leads_EmailNormalized_ReceivedAt (EmailNormalized=? AND
        // ReceivedAt<?)", "(EmailNormalized=?)" for the total, and the same index for the newest (the rowid is in it, so
        // no row is read). PostgreSQL: SubPlans over the same indexes (Index Only Scan for the counts, Index Scan
        // Backward with a Limit for the newest; not measured at 1M leads). So a page of 50 rows is 150 short index
        // probes whatever the table's size, and at most (cap + 1) entries each for an address shared by thousands.
        var byEmail = await page.Where(l => l.EmailNormalized != null)
            .Select(l => new
            {
                l.Id,
                Earlier = db.Leads.Where(o => o.EmailNormalized == l.EmailNormalized && o.ReceivedAt < l.ReceivedAt).Take(cap).Count(),
                Total = db.Leads.Where(o => o.EmailNormalized == l.EmailNormalized).Take(cap + 1).Count(),
                Latest = db.Leads.Where(o => o.EmailNormalized == l.EmailNormalized && o.Id != l.Id).OrderByDescending(o => o.ReceivedAt).Select(o => (DateTime?)o.ReceivedAt).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var byPhone = await page.Where(l => l.EmailNormalized == null && l.PhoneE164 != null)
            .Select(l => new
            {
                l.Id,
                Earlier = db.Leads.Where(o => o.PhoneE164 == l.PhoneE164 && o.ReceivedAt < l.ReceivedAt).Take(cap).Count(),
                Total = db.Leads.Where(o => o.PhoneE164 == l.PhoneE164).Take(cap + 1).Count(),
                Latest = db.Leads.Where(o => o.PhoneE164 == l.PhoneE164 && o.Id != l.Id).OrderByDescending(o => o.ReceivedAt).Select(o => (DateTime?)o.ReceivedAt).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return byEmail.Concat(byPhone)
            .Where(r => r.Total > 1 && r.Latest is not null)
            .ToDictionary(r => r.Id, r => new RepeatMark(r.Earlier + 1, r.Total, r.Latest!.Value, cap));
    }
}
