namespace LeadPortal.Leads;

/// <summary>A named arrival range ("Last 7 days"), counted back from the viewer's today.</summary>
public sealed record DatePreset(string Key, string Label, Func<DateOnly, (DateOnly From, DateOnly To)> Range);

/// <summary>The inbox's date presets: one click for what took four in a calendar.</summary>
public static class DatePresets
{
    public static readonly IReadOnlyList<DatePreset> All =
    [
        new("today", "Today", today => (today, today)),
        new("yesterday", "Yesterday", today => (today.AddDays(-1), today.AddDays(-1))),
        new("last-7-days", "Last 7 days", today => (today.AddDays(-6), today)),
        new("this-month", "This month", today => (new DateOnly(today.Year, today.Month, 1), today)),
        new("last-30-days", "Last 30 days", today => (today.AddDays(-29), today)),
    ];

    /// <summary>The preset a range is, for showing it by name; null for a custom range.</summary>
    public static DatePreset? Matching(DateOnly? from, DateOnly? to, DateOnly today) =>
        from is { } f && to is { } t ? All.FirstOrDefault(p => p.Range(today) == (f, t)) : null;
}
