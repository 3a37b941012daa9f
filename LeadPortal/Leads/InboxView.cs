using System.Globalization;
using LeadPortal.Data;
using LeadPortal.Quality;
using LeadPortal.Shared;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace LeadPortal.Leads;

/// <summary>
/// One inbox view — filter, sort, page, hidden columns and column widths — and its URL form, in one place: the inbox, the export form and endpoint,
/// the mapping editor's preview and saved views all read and write views through this type.
/// </summary>
public sealed record InboxView(LeadFilter Filter, LeadSort Sort = LeadSort.Received, bool Descending = true, int Page = 0, int PageSize = InboxView.DefaultPageSize)
{
    public const int DefaultPageSize = 25;
    public static readonly int[] PageSizes = [10, 25, 50, 100];

    public static InboxView Default { get; } = new(new LeadFilter());

    /// <summary>The grid's columns a user can hide, in the grid's order (name and the selection box always show).</summary>
    public static readonly IReadOnlyList<(string Key, string Title)> Columns =
    [
        ("received", "Received"), ("company", "Company"), ("offer", "Offer"), ("action", "Action"),
        ("due", "Due"), ("country", "Country"), ("status", "Status"), ("owner", "Owner"),
    ];

    /// <summary>The grid's columns a user can widen or narrow by dragging their header's edge, in the grid's order.</summary>
    public static readonly IReadOnlyList<string> SizableColumns = ["received", "name", "company", "offer", "action", "due", "country", "status", "owner"];

    /// <summary>
    /// Each sizable column's width in CSS pixels once the user has set any: the grid then gives every column a width of
    /// its own (theirs, else this) and grows wider than the window, with a scrollbar, rather than squeeze a column to
    /// nothing. Before that the layout's CSS widths apply.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> StandardWidths = new Dictionary<string, int>
    {
        ["received"] = 104, ["name"] = 170, ["company"] = 130, ["offer"] = 130, ["action"] = 130,
        ["due"] = 110, ["country"] = 64, ["status"] = 104, ["owner"] = 128,
    };

    public const int MinColumnWidth = 48;
    public const int MaxColumnWidth = 800;

    /// <summary>
    /// The widths the user gave columns, in CSS pixels, as <c>key:px</c> comma-separated in the grid's order (null: the
    /// layout's own widths). Saved with the view, like <see cref="Hidden"/>.
    /// </summary>
    public string? Widths { get; init; }

    /// <summary>The width the user gave <paramref name="column"/>; null for the layout's own.</summary>
    public int? WidthOf(string column) => ParseWidths(Widths).TryGetValue(column, out var width) ? width : null;

    /// <summary>The same view with one column's width set (clamped to 48–800 px), or back to the layout's (null).</summary>
    public InboxView WithWidth(string column, int? width)
    {
        var widths = ParseWidths(Widths);
        if (!SizableColumns.Contains(column))
        {
            return this;
        }

        if (width is { } w)
        {
            widths[column] = Math.Clamp(w, MinColumnWidth, MaxColumnWidth);
        }
        else
        {
            widths.Remove(column);
        }

        return this with { Widths = FormatWidths(widths) };
    }

    /// <summary>Known columns only, each once, in the grid's order, widths clamped; null when none is set.</summary>
    public static string? CanonicalWidths(string? value) => FormatWidths(ParseWidths(value));

    private static Dictionary<string, int> ParseWidths(string? value)
    {
        var widths = new Dictionary<string, int>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(value))
        {
            return widths;
        }

        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.IndexOf(':');
            if (colon > 0 && SizableColumns.Contains(part[..colon].ToLowerInvariant())
                && int.TryParse(part[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var width))
            {
                widths.TryAdd(part[..colon].ToLowerInvariant(), Math.Clamp(width, MinColumnWidth, MaxColumnWidth));
            }
        }

        return widths;
    }

    private static string? FormatWidths(Dictionary<string, int> widths) =>
        widths.Count == 0 ? null : string.Join(',', SizableColumns.Where(widths.ContainsKey).Select(k => $"{k}:{widths[k].ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>The columns hidden in this view, comma-separated in the grid's order (null: all shown). Saved with the view.</summary>
    public string? Hidden { get; init; }

    public bool Shows(string column) => Hidden is null || !Hidden.Split(',').Contains(column);

    /// <summary>The same view with one column shown or hidden.</summary>
    public InboxView WithColumn(string column, bool shown)
    {
        var hidden = Columns.Select(c => c.Key).Where(k => k == column ? !shown : !Shows(k));
        return this with { Hidden = CanonicalHidden(string.Join(',', hidden)) };
    }

    /// <summary>Known column keys only, each once, in the grid's order; null when none is hidden.</summary>
    public static string? CanonicalHidden(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var asked = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => v.ToLowerInvariant()).ToHashSet();
        var hidden = Columns.Select(c => c.Key).Where(asked.Contains).ToList();
        return hidden.Count == 0 ? null : string.Join(',', hidden);
    }

    /// <summary>A view from a URL, a query string (with or without <c>?</c>) or nothing; unknown or bad values fall back to defaults.</summary>
    public static InboxView Parse(string? uriOrQuery)
    {
        if (string.IsNullOrWhiteSpace(uriOrQuery))
        {
            return Default;
        }

        var start = uriOrQuery.IndexOf('?');
        var query = start >= 0 ? uriOrQuery[start..] : uriOrQuery.Contains('=') ? "?" + uriOrQuery : "";
        var hash = query.IndexOf('#');
        return Parse(QueryHelpers.ParseQuery(hash >= 0 ? query[..hash] : query));
    }

    public static InboxView Parse(IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        var q = query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string? Get(string key) => q.TryGetValue(key, out var value) ? Clean(value) : null;

        var filter = new LeadFilter
        {
            From = ParseDate(Get("from")),
            To = ParseDate(Get("to")),
            Offer = Get("offer"),
            Action = Get("action"),
            Source = Get("source"),
            Country = Get("country"),
            Domain = CompanyDomains.Canonical(Get("domain")),
            Quality = ParseEnum<QualityRating>(Get("quality")),
            Campaign = Get("campaign"),
            EmailValidity = ParseEnum<Validity>(Get("email")),
            PhoneValidity = ParseEnum<Validity>(Get("phone")),
            Status = Enum.TryParse<LeadStatus>(Get("status"), ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null,
            Origin = ParseOrigin(Get("origin")),
            OriginName = Get("originName"),
            Owner = Get("owner"),
            Text = Get("q"),
            ShowTest = bool.TryParse(Get("test"), out var test) && test,
            Ids = LeadFilter.CanonicalIds(Get("ids")),
            Due = string.Equals(Get("due"), "today", StringComparison.OrdinalIgnoreCase),
            Reason = int.TryParse(Get("reason"), NumberStyles.None, CultureInfo.InvariantCulture, out var reason) && reason > 0 ? reason : null,
            Clock = ParseClock(Get("clock")),
            NotAcceptedInPartnerCenter = string.Equals(Get("pc"), "notaccepted", StringComparison.OrdinalIgnoreCase),
        };
        var sort = Enum.TryParse<LeadSort>(Get("sort"), ignoreCase: true, out var parsedSort) && Enum.IsDefined(parsedSort) ? parsedSort : LeadSort.Received;
        var dir = Get("dir");
        var descending = dir is null ? sort == LeadSort.Received : dir.Equals("desc", StringComparison.OrdinalIgnoreCase);
        var page = int.TryParse(Get("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p - 1 : 0;
        var size = int.TryParse(Get("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var z) && PageSizes.Contains(z) ? z : DefaultPageSize;
        return new InboxView(filter, sort, descending, page, size) { Hidden = CanonicalHidden(Get("hide")), Widths = CanonicalWidths(Get("w")) };
    }

    /// <summary>
    /// What is wrong with a filter's parameters, one readable sentence each naming the parameter; empty when nothing is.
    /// The inbox reads a URL leniently (a bookmark with an old parameter still opens), but an export must not quietly
    /// drop <c>from=abc</c> and export everything.
    /// </summary>
    public static IReadOnlyList<string> FilterErrors(IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        var q = query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string? Get(string key) => q.TryGetValue(key, out var value) ? Clean(value) : null;
        var errors = new List<string>();
        foreach (var name in new[] { "from", "to" })
        {
            if (Get(name) is { } value && ParseDate(value) is null)
            {
                errors.Add($"{name} is \"{value}\", which is not a day written yyyy-MM-dd (e.g. 2026-03-31).");
            }
        }

        if (ParseDate(Get("from")) is { } from && ParseDate(Get("to")) is { } to && from > to)
        {
            errors.Add($"from ({from:yyyy-MM-dd}) is after to ({to:yyyy-MM-dd}).");
        }

        if (Get("status") is { } status && !(Enum.TryParse<LeadStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _)))
        {
            errors.Add($"status is \"{status}\"; it is one of {string.Join(", ", Enum.GetNames<LeadStatus>())}.");
        }

        if (Get("origin") is { } origin && ParseOrigin(origin) is null)
        {
            errors.Add($"origin is \"{origin}\"; it is one of {string.Join(", ", Enum.GetNames<LeadOrigin>())}.");
        }

        if (Get("domain") is { } domain && CompanyDomains.Canonical(domain) is null)
        {
            errors.Add($"domain is \"{domain}\", which is not a domain name (e.g. contoso.com).");
        }

        AddEnumError<QualityRating>(errors, "quality", Get("quality"));
        AddEnumError<Validity>(errors, "email", Get("email"));
        AddEnumError<Validity>(errors, "phone", Get("phone"));

        if (Get("test") is { } test && !bool.TryParse(test, out _))
        {
            errors.Add($"test is \"{test}\"; it is true or false.");
        }

        if (Get("due") is { } due && !due.Equals("today", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"due is \"{due}\"; the only value is today.");
        }

        if (Get("reason") is { } reason && !(int.TryParse(reason, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0))
        {
            errors.Add($"reason is \"{reason}\"; it is a disqualify reason's number (as the inbox's Reason filter puts it in the address).");
        }

        if (Get("pc") is { } pc && !pc.Equals("notaccepted", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"pc is \"{pc}\"; the only value is notaccepted.");
        }

        if (Get("clock") is { } clock && ParseClock(clock) is null)
        {
            errors.Add($"clock is \"{clock}\"; it is one of {string.Join(", ", ClockValues.Values)}.");
        }

        return errors;
    }

    /// <summary>The response clock filters as the URL writes them.</summary>
    private static readonly IReadOnlyDictionary<ClockFilter, string> ClockValues = new Dictionary<ClockFilter, string>
    {
        [ClockFilter.Soon] = "soon",
        [ClockFilter.Overdue] = "overdue",
        [ClockFilter.Expiring] = "expiring",
    };

    private static ClockFilter? ParseClock(string? value) =>
        ClockValues.FirstOrDefault(p => string.Equals(p.Value, value, StringComparison.OrdinalIgnoreCase)) is { Value: not null } found ? found.Key : null;

    /// <summary>Every parameter of the view, null where it is the default (so <c>GetUriWithQueryParameters</c> drops it and URLs stay short).</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        ["from"] = Filter.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = Filter.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["offer"] = Filter.Offer,
        ["action"] = Filter.Action,
        ["source"] = Filter.Source,
        ["country"] = Filter.Country,
        ["domain"] = Filter.Domain,
        ["quality"] = Filter.Quality?.ToString().ToLowerInvariant(),
        ["campaign"] = Filter.Campaign,
        ["email"] = Filter.EmailValidity?.ToString().ToLowerInvariant(),
        ["phone"] = Filter.PhoneValidity?.ToString().ToLowerInvariant(),
        ["status"] = Filter.Status?.ToString(),
        ["origin"] = Filter.Origin?.ToString(),
        ["originName"] = Filter.OriginName,
        ["owner"] = Filter.Owner,
        ["q"] = Filter.Text,
        ["test"] = Filter.ShowTest ? "true" : null,
        ["ids"] = Filter.Ids,
        ["due"] = Filter.Due ? "today" : null,
        ["reason"] = Filter.Reason?.ToString(CultureInfo.InvariantCulture),
        ["clock"] = Filter.Clock is { } clock ? ClockValues[clock] : null,
        ["pc"] = Filter.NotAcceptedInPartnerCenter ? "notaccepted" : null,
        ["sort"] = Sort == LeadSort.Received ? null : Sort.ToString().ToLowerInvariant(),
        ["dir"] = Descending == (Sort == LeadSort.Received) ? null : Descending ? "desc" : "asc",
        ["page"] = Page > 0 ? (Page + 1).ToString(CultureInfo.InvariantCulture) : null,
        ["size"] = PageSize == DefaultPageSize ? null : PageSize.ToString(CultureInfo.InvariantCulture),
        ["hide"] = Hidden,
        ["w"] = Widths,
    };

    /// <summary>The view as a query string: <c>?offer=…&amp;page=2</c>, or empty for the default view.</summary>
    public string ToQueryString()
    {
        var parts = ToQuery().Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString((string)p.Value!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>The filter alone as a query string (an export or a preview keeps no sort or page).</summary>
    public static string FilterQuery(LeadFilter filter) => new InboxView(filter).ToQueryString();

    /// <summary>An address's path relative to the app, without query or fragment: "", "leads", "leads/42", "dashboard".</summary>
    public static string PathOf(Microsoft.AspNetCore.Components.NavigationManager navigation, string uri) =>
        navigation.ToBaseRelativePath(uri).Split('?', '#')[0].TrimEnd('/');

    /// <summary>Whether a path (as <see cref="PathOf"/> gives it) is the inbox.</summary>
    public static bool IsInbox(string path) => path is "" or "leads";

    /// <summary>The same view with another filter, from its first page.</summary>
    public InboxView WithFilter(LeadFilter filter) => this with { Filter = filter, Page = 0 };

    /// <summary>An origin by name (any case); numbers are not names, so <c>origin=1</c> is refused rather than guessed.</summary>
    private static LeadOrigin? ParseOrigin(string? value) =>
        value is not null && !int.TryParse(value, out _) && Enum.TryParse<LeadOrigin>(value, ignoreCase: true, out var origin) && Enum.IsDefined(origin) ? origin : null;
    /// <summary>A name of the enum in any case (never its number: <c>quality=1</c> is no bookmark anyone wrote).</summary>
    private static T? ParseEnum<T>(string? value) where T : struct, Enum =>
        value is not null && !int.TryParse(value, out _) && Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;

    private static void AddEnumError<T>(List<string> errors, string name, string? value) where T : struct, Enum
    {
        if (value is not null && ParseEnum<T>(value) is null)
        {
            errors.Add($"{name} is \"{value}\"; it is one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
        }
    }

    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
