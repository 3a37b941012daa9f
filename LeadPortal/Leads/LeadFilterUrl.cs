using System.Globalization;
using LeadPortal.Data;

namespace LeadPortal.Leads;

/// <summary>Inbox state ↔ URL query, so a view can be bookmarked, shared and reloaded.</summary>
public static class LeadFilterUrl
{
    public const int DefaultPageSize = 25;
    public static readonly int[] PageSizes = [10, 25, 50, 100];

    public static LeadFilter Parse(
        string? from, string? to, string? offer, string? action, string? source, string? country,
        string? status, string? owner, string? q, bool? test)
    {
        return new LeadFilter
        {
            From = ParseDate(from),
            To = ParseDate(to),
            Offer = Clean(offer),
            Action = Clean(action),
            Source = Clean(source),
            Country = Clean(country),
            Status = Enum.TryParse<LeadStatus>(status, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null,
            Owner = Clean(owner),
            Text = Clean(q),
            ShowTest = test ?? false,
        };
    }

    public static LeadSort ParseSort(string? sort) =>
        Enum.TryParse<LeadSort>(sort, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : LeadSort.Received;

    /// <summary>The query parameters for a view; defaults are left out so URLs stay short.</summary>
    public static Dictionary<string, object?> ToQuery(LeadFilter filter, LeadSort sort, bool descending, int page, int pageSize) => new()
    {
        ["from"] = filter.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = filter.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["offer"] = filter.Offer,
        ["action"] = filter.Action,
        ["source"] = filter.Source,
        ["country"] = filter.Country,
        ["status"] = filter.Status?.ToString(),
        ["owner"] = filter.Owner,
        ["q"] = filter.Text,
        ["test"] = filter.ShowTest ? true : null,
        ["sort"] = sort == LeadSort.Received ? null : sort.ToString().ToLowerInvariant(),
        ["dir"] = descending == (sort == LeadSort.Received) ? null : descending ? "desc" : "asc",
        ["page"] = page > 0 ? page + 1 : null,
        ["size"] = pageSize == DefaultPageSize ? null : pageSize,
    };

    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
