using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Responses;
using LeadPortal.Quality;
using LeadPortal.Shared;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Leads;

/// <summary>The inbox's filters as one value: what the URL carries and what the grid and the export query.</summary>
public sealed record LeadFilter
{
    /// <summary>First local day included.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last local day included.</summary>
    public DateOnly? To { get; init; }

    public string? Offer { get; init; }
    public string? Action { get; init; }
    public string? Source { get; init; }
    public string? Country { get; init; }
    public LeadStatus? Status { get; init; }

    /// <summary>How the leads reached the store: posted, read from a table, imported.</summary>
    public LeadOrigin? Origin { get; init; }

    /// <summary>The table source's or imported file's name (<see cref="Lead.OriginName"/>).</summary>
    public string? OriginName { get; init; }
    /// <summary>The company's e-mail domain (<see cref="Lead.CompanyDomain"/>), in lower case; an IDN in either spelling.</summary>
    public string? Domain { get; init; }

    public QualityRating? Quality { get; init; }

    /// <summary>A campaign id (<c>mktcmpid</c>) as the campaign parser read it.</summary>
    public string? Campaign { get; init; }

    /// <summary>Partner Center's Email validity: Valid, Invalid, or Unknown (no address, or not checked yet).</summary>
    public Validity? EmailValidity { get; init; }

    public Validity? PhoneValidity { get; init; }

    /// <summary>A user id, <see cref="Unassigned"/>, or <see cref="Me"/> (resolved by <see cref="For"/>).</summary>
    public string? Owner { get; init; }

    /// <summary>Free text over name, e-mail, company, offer, phone digits and message (see <see cref="StoreDialect.WhereTextContains"/>).</summary>
    public string? Text { get; init; }

    public bool ShowTest { get; init; }

    /// <summary>Only leads with an open task due today or earlier (in the viewer's zone) that are still being worked.</summary>
    public bool Due { get; init; }

    /// <summary>Only disqualified leads with this reason (a <see cref="DisqualifyReason"/> id).</summary>
    public int? Reason { get; init; }
    /// <summary>Only unanswered leads whose response clock is due soon, is overdue, or that Partner Center expires soon.</summary>
    public ClockFilter? Clock { get; init; }

    /// <summary>Only Contact me leads nobody has marked accepted in Partner Center.</summary>
    public bool NotAcceptedInPartnerCenter { get; init; }

    /// <summary>Only these leads (a selection): ids ascending, comma-separated, as <see cref="CanonicalIds"/> writes them.</summary>
    public string? Ids { get; init; }

    public const string Unassigned = "none";

    /// <summary>"Owned by whoever looks": a view that means the same for every user (My leads).</summary>
    public const string Me = "me";

    /// <summary>The most leads a selection filter carries.</summary>
    public const int MaxIds = 1_000;

    public bool IsEmpty => this == new LeadFilter();

    /// <summary>The filter as the given user means it: <see cref="Me"/> becomes their id (nobody's, without a user).</summary>
    public LeadFilter For(string? userId) => Owner == Me ? this with { Owner = userId ?? Guid.Empty.ToString() } : this;

    public IReadOnlyList<long> IdList => string.IsNullOrEmpty(Ids)
        ? []
        : Ids.Split(',').Select(id => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>Ids from text (any separators, duplicates, junk dropped), sorted and joined; null when there are none.</summary>
    public static string? CanonicalIds(string? text) => CanonicalIds(string.IsNullOrWhiteSpace(text)
        ? []
        : text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries)
            .Select(part => long.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : 0));

    public static string? CanonicalIds(IEnumerable<long> ids)
    {
        var list = ids.Where(id => id > 0).Distinct().Order().Take(MaxIds).ToList();
        return list.Count == 0 ? null : string.Join(',', list);
    }
}

/// <summary>The response clock filters; in the URL as <c>clock=soon|overdue|expiring</c>.</summary>
public enum ClockFilter
{
    /// <summary>Due within <see cref="ResponseClock.DueSoonWindow"/>, not yet overdue.</summary>
    Soon,

    Overdue,

    /// <summary>A Contact me lead Partner Center expires within <see cref="ResponseClock.ExpiringWindow"/> (not yet expired).</summary>
    Expiring,
}

public enum LeadSort
{
    Received,
    Name,
    Company,
    Offer,
    Action,
    Country,
    Status,

    /// <summary>Running clocks by due time, then the leads without one.</summary>
    Due,
}

/// <summary>One line of the inbox.</summary>
public sealed record LeadListRow(
    long Id,
    DateTime ReceivedAt,
    string? FirstName,
    string? LastName,
    string? Email,
    string? Company,
    string? Country,
    string? OfferId,
    string? OfferTitle,
    string? ActionCode,
    string? Source,
    LeadStatus Status,
    string? OwnerName,
    bool IsTest,
    string? OwnerId,
    DateTime? NextTaskDue,
    LeadOrigin Origin = LeadOrigin.Webhook,
    string? OriginName = null,
    DateTime? ResponseDueAt = null,
    DateTime? FirstResponseAt = null,
    DateTime? PartnerCenterAcceptedAt = null,
    string? CompanyDomain = null,
    QualityRating Quality = QualityRating.Unrated,
    QualityReason QualityReasons = QualityReason.None)
{
    public string Name => string.Join(' ', new[] { FirstName, LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
    public bool IsDoNotContact => string.Equals(ActionCode, LeadActions.DoNotContact, StringComparison.OrdinalIgnoreCase);
    public string ActionLabel => LeadActions.Label(ActionCode);

    /// <summary>When Partner Center expires this lead (a Contact me lead), or null.</summary>
    public DateTime? PartnerCenterExpiresAt => ResponseClock.PartnerCenterExpiresAt(ActionCode, IsTest, ReceivedAt);
}

public sealed record LeadPage(IReadOnlyList<LeadListRow> Rows, int Total);

/// <summary>A lead's place in a view: the leads before and after it, and its 0-based index (null: it is not in the view now).</summary>
public sealed record LeadNeighbours(long? Previous, long? Next, int? Index, int Total);

public sealed record FilterOptions(
    IReadOnlyList<(string Id, string Title)> Offers,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Countries,
    IReadOnlyList<(string Id, string Name)> Owners)
{
    /// <summary>The disqualify reasons, in the admins' order.</summary>
    public IReadOnlyList<ReasonRow> Reasons { get; init; } = [];
}

/// <summary>Filters, sorts and pages leads in the database: never loads more than one page.</summary>
public sealed class LeadQuery(IDbContextFactory<LeadPortalDbContext> dbFactory, int textMatchesAtOnce = LeadQuery.TextMatchesAtOnce, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public const int MaxPageSize = 200;

    /// <summary>The inbox line of a lead, as a projection the database runs.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Lead, LeadListRow>> ToListRow = l => new LeadListRow(
        l.Id, l.ReceivedAt, l.FirstName, l.LastName, l.Email, l.Company, l.Country, l.OfferId, l.OfferTitle,
        l.ActionCode, l.Source, l.Status, l.Owner != null ? (l.Owner.DisplayName ?? l.Owner.Email) : null, l.IsTest, l.OwnerId,
        l.Tasks.Where(t => t.DoneAt == null).Min(t => (DateTime?)t.DueAt), l.Origin, l.OriginName,
        l.ResponseDueAt, l.FirstResponseAt, l.PartnerCenterAcceptedAt, l.CompanyDomain, l.Quality, l.QualityReasons);

    /// <summary>The filter as a query on leads; the time zone turns local days into UTC instants.</summary>
    /// <param name="source">Leads to filter (default: all of them).</param>
    /// <param name="nowUtc">The instant "due", "due today" and "overdue" are measured from (the app's clock; the system's when not given).</param>
    public static IQueryable<Lead> Apply(LeadPortalDbContext db, LeadFilter filter, TimeZoneInfo zone, IQueryable<Lead>? source = null, DateTime? nowUtc = null)
    {
        var now = nowUtc ?? DateTime.UtcNow;
        var leads = (source ?? db.Leads).AsNoTracking();
        var text = SearchText(filter.Text);
        if (!filter.ShowTest)
        {
            leads = db.Dialect.WithoutTestLeads(leads, withTextSearch: text is not null);
        }

        if (filter.From is { } from)
        {
            var start = ViewerClock.StartOfDayUtc(from, zone);
            leads = leads.Where(l => l.ReceivedAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = ViewerClock.StartOfDayUtc(to.AddDays(1), zone);
            leads = leads.Where(l => l.ReceivedAt < end);
        }

        if (!string.IsNullOrWhiteSpace(filter.Offer))
        {
            leads = leads.Where(l => l.OfferId == filter.Offer);
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            leads = leads.Where(l => l.ActionCode == filter.Action);
        }

        if (!string.IsNullOrWhiteSpace(filter.Source))
        {
            leads = leads.Where(l => l.Source == filter.Source);
        }

        if (!string.IsNullOrWhiteSpace(filter.Country))
        {
            leads = leads.Where(l => l.Country == filter.Country);
        }

        if (CompanyDomains.Canonical(filter.Domain) is { } domain)
        {
            leads = leads.Where(l => l.CompanyDomain == domain);
        }

        if (!string.IsNullOrWhiteSpace(filter.Campaign))
        {
            leads = leads.Where(l => l.CampaignId == filter.Campaign);
        }

        if (filter.Quality is { } quality)
        {
            leads = leads.Where(l => l.Quality == quality);
        }

        if (filter.EmailValidity is { } emailValidity)
        {
            leads = leads.Where(l => l.EmailValidity == emailValidity);
        }

        if (filter.PhoneValidity is { } phoneValidity)
        {
            leads = leads.Where(l => l.PhoneValidity == phoneValidity);
        }

        if (filter.Status is { } status)
        {
            leads = leads.Where(l => l.Status == status);
        }

        if (filter.Origin is { } origin)
        {
            leads = leads.Where(l => l.Origin == origin);
        }

        if (!string.IsNullOrWhiteSpace(filter.OriginName))
        {
            leads = leads.Where(l => l.OriginName == filter.OriginName);
        }

        if (filter.Owner == LeadFilter.Unassigned)
        {
            leads = leads.Where(l => l.OwnerId == null);
        }
        else if (!string.IsNullOrWhiteSpace(filter.Owner))
        {
            leads = leads.Where(l => l.OwnerId == filter.Owner);
        }

        if (filter.Due)
        {
            // Due by the end of the viewer's today; the open tasks are few, so their index is read, not the leads.
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
            var tomorrow = ViewerClock.StartOfDayUtc(today.AddDays(1), zone);
            var dueLeads = db.LeadTasks.Where(t => t.DoneAt == null && t.DueAt < tomorrow).Select(t => t.LeadId);
            leads = leads.Where(l => dueLeads.Contains(l.Id) && l.Status != LeadStatus.Converted && l.Status != LeadStatus.Disqualified);
        }

        if (filter.Reason is { } reason)
        {
            leads = leads.Where(l => l.DisqualifyReasonId == reason);
        }

        switch (filter.Clock)
        {
            case ClockFilter.Overdue:
                // The running-clocks index (IX_Leads_RunningClocks) holds exactly the leads the first two conditions keep.
                leads = leads.Where(l => l.FirstResponseAt == null && l.ResponseDueAt != null && l.ResponseDueAt <= now);
                break;
            case ClockFilter.Soon:
                var soon = now + ResponseClock.DueSoonWindow;
                leads = leads.Where(l => l.FirstResponseAt == null && l.ResponseDueAt != null && l.ResponseDueAt > now && l.ResponseDueAt <= soon);
                break;
            case ClockFilter.Expiring:
                // Received between 14 and 11 days ago: Partner Center expires it within 3 days.
                var expiredBefore = now - ResponseClock.PartnerCenterKeeps;
                var expiringBefore = expiredBefore + ResponseClock.ExpiringWindow;
                leads = leads.Where(l => l.ActionCode == LeadActions.ContactMe && l.FirstResponseAt == null && l.PartnerCenterAcceptedAt == null
                    && l.ReceivedAt > expiredBefore && l.ReceivedAt <= expiringBefore);
                break;
        }

        if (filter.NotAcceptedInPartnerCenter)
        {
            leads = leads.Where(l => l.ActionCode == LeadActions.ContactMe && l.PartnerCenterAcceptedAt == null);
        }

        if (filter.Ids is not null)
        {
            var ids = filter.IdList;
            leads = leads.Where(l => ids.Contains(l.Id));
        }

        if (text is not null)
        {
            // Never misses a lead: leads not yet in a provider's text index are matched without it.
            leads = db.Dialect.WhereTextContains(db, leads, text);
        }

        return leads;
    }

    public static IQueryable<Lead> Sort(IQueryable<Lead> leads, LeadSort sort, bool descending) => (sort, descending) switch
    {
        // Leads without a name last either way ('' and null alike: SQLite puts NULL first, PostgreSQL last).
        (LeadSort.Name, false) => leads.OrderBy(l => (l.LastName ?? "") == "" && (l.FirstName ?? "") == "")
            .ThenBy(l => l.LastName ?? "").ThenBy(l => l.FirstName ?? "").ThenByDescending(l => l.Id),
        (LeadSort.Name, true) => leads.OrderBy(l => (l.LastName ?? "") == "" && (l.FirstName ?? "") == "")
            .ThenByDescending(l => l.LastName ?? "").ThenByDescending(l => l.FirstName ?? "").ThenByDescending(l => l.Id),
        (LeadSort.Company, false) => leads.OrderBy(l => l.Company).ThenByDescending(l => l.Id),
        (LeadSort.Company, true) => leads.OrderByDescending(l => l.Company).ThenByDescending(l => l.Id),
        (LeadSort.Offer, false) => leads.OrderBy(l => l.OfferTitle).ThenByDescending(l => l.Id),
        (LeadSort.Offer, true) => leads.OrderByDescending(l => l.OfferTitle).ThenByDescending(l => l.Id),
        (LeadSort.Action, false) => leads.OrderBy(l => l.ActionCode).ThenByDescending(l => l.Id),
        (LeadSort.Action, true) => leads.OrderByDescending(l => l.ActionCode).ThenByDescending(l => l.Id),
        (LeadSort.Country, false) => leads.OrderBy(l => l.Country).ThenByDescending(l => l.Id),
        (LeadSort.Country, true) => leads.OrderByDescending(l => l.Country).ThenByDescending(l => l.Id),
        (LeadSort.Status, false) => leads.OrderBy(l => l.Status).ThenByDescending(l => l.Id),
        (LeadSort.Status, true) => leads.OrderByDescending(l => l.Status).ThenByDescending(l => l.Id),
        // Running clocks first (soonest due first, or latest), then answered leads and leads without a clock.
        (LeadSort.Due, false) => leads.OrderBy(l => l.FirstResponseAt != null || l.ResponseDueAt == null).ThenBy(l => l.ResponseDueAt).ThenBy(l => l.Id),
        (LeadSort.Due, true) => leads.OrderBy(l => l.FirstResponseAt != null || l.ResponseDueAt == null).ThenByDescending(l => l.ResponseDueAt).ThenByDescending(l => l.Id),
        // Ids grow with arrival, so they break ties between leads received in the same instant.
        (_, false) => leads.OrderBy(l => l.ReceivedAt).ThenBy(l => l.Id),
        _ => leads.OrderByDescending(l => l.ReceivedAt).ThenByDescending(l => l.Id),
    };

    public async Task<LeadPage> GetPageAsync(
        LeadFilter filter, LeadSort sort, bool descending, int page, int pageSize, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(0, page);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var filtered = Apply(db, filter, zone, nowUtc: _time.GetUtcNow().UtcDateTime);
        if (sort == LeadSort.Received && SearchText(filter.Text) is not null
            && await TextSearchPageAsync(db, filtered, descending, page, pageSize, textMatchesAtOnce, cancellationToken) is { } found)
        {
            return found;
        }

        var total = await CountAsync(db, filter, filtered, cancellationToken);
        var (ids, _) = WindowIds(filtered, sort, descending, (long)page * pageSize, pageSize, total);
        var rows = await Sort(db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)), sort, descending)
            .Select(ToListRow)
            .ToListAsync(cancellationToken);
        return new LeadPage(rows, total);
    }

    private static async Task<int> CountAsync(LeadPortalDbContext db, LeadFilter filter, IQueryable<Lead> filtered, CancellationToken cancellationToken) =>
        CountsFromTotals(filter)
            ? await db.Dialect.CountLeadsAsync(db, filter.ShowTest ? null : false, Value(filter.Action), Value(filter.Country),
                Value(filter.Source), (int?)filter.Status, cancellationToken)
            : await filtered.CountAsync(cancellationToken);

    /// <summary>
    /// The ids of a window of the view, from the filter's index alone: an OFFSET of 500,000 then steps over index
    /// entries instead of reading half a million leads. Past the middle of newest-first (or oldest-first) the same
    /// window is nearer to the other end, so it is counted from there and comes back in the opposite order (Reversed).
    /// </summary>
    private static (IQueryable<long> Ids, bool Reversed) WindowIds(IQueryable<Lead> filtered, LeadSort sort, bool descending, long skip, int take, int total)
    {
        var window = Sort(filtered, sort, descending);
        var reversed = false;
        if (sort == LeadSort.Received && skip > total / 2 && skip < total)
        {
            take = (int)Math.Min(take, total - skip);
            skip = total - skip - take;
            window = Sort(filtered, sort, !descending);
            reversed = true;
        }

        return (window.Skip((int)Math.Min(skip, int.MaxValue)).Take(take).Select(l => l.Id), reversed);
    }

    /// <summary>How far from the hint the lead is looked for, when leads arrived or left the view since the hint was taken.</summary>
    public const int NeighbourSearch = 25;

    /// <summary>
    /// The leads before and after one in a view (its filter and sort, across pages), and its place. <paramref name="at"/>
    /// is where the lead was when the link was made (0-based, from the inbox's page): the ids around it are read as a
    /// page is (the filter's index, never all ids), and the lead is looked for there, so a lead that moved a few places
    /// since is still found. Not a keyset: the eight sorts order nullable text, which SQLite puts first and PostgreSQL
    /// last, so "the row after this one" would be two queries per sort and provider; the window is one query for all.
    /// </summary>
    public async Task<LeadNeighbours> GetNeighboursAsync(
        LeadFilter filter, LeadSort sort, bool descending, long id, int at, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var filtered = Apply(db, filter, zone, nowUtc: _time.GetUtcNow().UtcDateTime);
        var total = await CountAsync(db, filter, filtered, cancellationToken);
        at = Math.Clamp(at, 0, Math.Max(0, total - 1));

        async Task<(List<long> Ids, long Start)> ReadAsync(long start, int take)
        {
            var (query, reversed) = WindowIds(filtered, sort, descending, start, take, total);
            var ids = await query.ToListAsync(cancellationToken);
            if (reversed)
            {
                ids.Reverse();
            }

            return (ids, start);
        }

        var (window, first) = await ReadAsync(Math.Max(0, at - NeighbourSearch), 2 * NeighbourSearch + 1);
        var index = window.IndexOf(id);
        if (index >= 0 && ((index == 0 && first > 0) || (index == window.Count - 1 && first + index < total - 1)))
        {
            // Found at the window's edge: its neighbour on that side is one more read.
            (window, first) = await ReadAsync(Math.Max(0, first + index - 1), 3);
            index = window.IndexOf(id);
        }

        return index < 0
            ? new LeadNeighbours(null, null, null, total)
            : new LeadNeighbours(index > 0 ? window[index - 1] : null, index < window.Count - 1 ? window[index + 1] : null, (int)(first + index), total);
    }

    /// <summary>A text search with more matches than this is counted and paged by the database (two queries).</summary>
    public const int TextMatchesAtOnce = 10_000;

    /// <summary>
    /// A text search's page in one pass: the matches' ids and arrival times (a search usually finds a few hundred or
    /// thousand leads), counted and ordered here, then the page's rows. A count and an ordered page each ran the search
    /// again, and on PostgreSQL the ordered one was planned as a walk back along the arrival index filtering every lead
    /// (65 ms at 1M leads, against 33 ms for the whole search). Null when the search finds more than
    /// <paramref name="limit"/> leads (<see cref="TextMatchesAtOnce"/>): the database then counts and pages them.
    /// </summary>
    private static async Task<LeadPage?> TextSearchPageAsync(
        LeadPortalDbContext db, IQueryable<Lead> filtered, bool descending, int page, int pageSize, int limit, CancellationToken cancellationToken)
    {
        var matches = await filtered.Select(l => new { l.Id, l.ReceivedAt }).Take(limit + 1).ToListAsync(cancellationToken);
        if (matches.Count > limit)
        {
            return null;
        }

        var ordered = descending
            ? matches.OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id)
            : matches.OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id);
        var ids = ordered.Skip((int)Math.Min((long)page * pageSize, int.MaxValue)).Take(pageSize).Select(m => m.Id).ToList();
        var rows = ids.Count == 0
            ? []
            : await Sort(db.Dialect.LeadsWithIds(db, ids).AsNoTracking(), LeadSort.Received, descending).Select(ToListRow).ToListAsync(cancellationToken);
        return new LeadPage(rows, matches.Count);
    }

    /// <summary>True when the filter uses only the columns kept in <c>LeadCounts</c> (no dates, offer, owner, text or selection).</summary>
    private static bool CountsFromTotals(LeadFilter filter) =>
        filter.From is null && filter.To is null && Value(filter.Offer) is null && Value(filter.Owner) is null && Value(filter.Domain) is null
        && filter.Quality is null && Value(filter.Campaign) is null && filter.EmailValidity is null && filter.PhoneValidity is null && SearchText(filter.Text) is null
        && filter.Ids is null && !filter.Due && filter.Reason is null && filter.Origin is null && Value(filter.OriginName) is null
        && filter.Clock is null && !filter.NotAcceptedInPartnerCenter;

    /// <summary>
    /// The free text as it is searched for, or null for no text filter. Control characters are nobody's search and
    /// break the database's (a NUL ends SQLite's FTS5 query string: "unterminated string"; PostgreSQL refuses NUL in
    /// text): a tab or line break, as from a pasted spreadsheet cell, counts as one space, the others are dropped.
    /// </summary>
    public static string? SearchText(string? text)
    {
        if (text is not null && text.Any(char.IsControl))
        {
            var kept = new System.Text.StringBuilder(text.Length);
            foreach (var c in text)
            {
                if (!char.IsControl(c))
                {
                    kept.Append(c);
                }
                else if (char.IsWhiteSpace(c) && (kept.Length == 0 || kept[^1] != ' '))
                {
                    kept.Append(' ');
                }
            }

            text = kept.ToString();
        }

        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    private static string? Value(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>The filter over just these leads (set apart first, so that the filter's index is not walked for a few ids).</summary>
    public static IQueryable<Lead> MatchingAmong(LeadPortalDbContext db, LeadFilter filter, IReadOnlyCollection<long> ids, TimeZoneInfo zone, DateTime? nowUtc = null) =>
        Apply(db, filter, zone, db.Dialect.LeadsWithIds(db, ids), nowUtc);

    /// <summary>How many of the given new leads the filter would show (for the "new leads" bar).</summary>
    public async Task<int> CountMatchingAsync(LeadFilter filter, IReadOnlyCollection<long> ids, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await MatchingAmong(db, filter, ids, zone, _time.GetUtcNow().UtcDateTime).CountAsync(cancellationToken);
    }

    public async Task<FilterOptions> GetFilterOptionsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var offers = await db.Dialect.GetOffersAsync(db, cancellationToken);
        var (sources, countries) = await db.Dialect.GetSourcesAndCountriesAsync(db, cancellationToken);
        var owners = await db.Users.AsNoTracking().Where(u => !u.IsDisabled)
            .Select(u => new { u.Id, Name = u.DisplayName ?? u.Email ?? u.UserName ?? u.Id }).ToListAsync(cancellationToken);
        return new FilterOptions(
            offers.Select(o => (o.Id, o.Title ?? o.Id)).OrderBy(o => o.Item2, StringComparer.CurrentCultureIgnoreCase).ToList(),
            sources.Order(StringComparer.OrdinalIgnoreCase).ToList(),
            countries.Order(StringComparer.OrdinalIgnoreCase).ToList(),
            owners.Select(o => (o.Id, o.Name)).OrderBy(o => o.Item2, StringComparer.CurrentCultureIgnoreCase).ToList())
        {
            Reasons = await ReasonStore.ListAsync(db, cancellationToken),
        };
    }
}
