using LeadPortal.Leads;

namespace LeadPortal.Tests.Leads;

public sealed class DatePresetsTests
{
    [Theory]
    [InlineData("today", "2026-03-01", "2026-03-01", "2026-03-01")]
    [InlineData("yesterday", "2026-03-01", "2026-02-28", "2026-02-28")]
    [InlineData("yesterday", "2028-03-01", "2028-02-29", "2028-02-29")]
    [InlineData("last-7-days", "2026-01-03", "2025-12-28", "2026-01-03")]
    [InlineData("this-month", "2026-03-01", "2026-03-01", "2026-03-01")]
    [InlineData("this-month", "2026-12-31", "2026-12-01", "2026-12-31")]
    [InlineData("last-30-days", "2026-03-15", "2026-02-14", "2026-03-15")]
    public void Each_preset_counts_back_from_the_viewers_today_and_never_reaches_into_the_future(string key, string today, string from, string to)
    {
        var day = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);
        var range = DatePresets.All.Single(p => p.Key == key).Range(day);

        Assert.Equal((DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture)), range);
        Assert.True(range.To <= day);
        // Shown by name afterwards (on the 1st, "This month" is "Today" too: the first one listed names it).
        Assert.NotNull(DatePresets.Matching(range.From, range.To, day));
    }

    [Fact]
    public void A_custom_range_has_no_preset_name()
    {
        var today = new DateOnly(2026, 3, 15);
        Assert.Null(DatePresets.Matching(new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 9), today));
        Assert.Null(DatePresets.Matching(null, today, today));
        Assert.Equal("Last 7 days", DatePresets.Matching(new DateOnly(2026, 3, 9), today, today)!.Label);
    }
}
