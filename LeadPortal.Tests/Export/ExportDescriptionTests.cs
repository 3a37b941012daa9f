using LeadPortal.Data;
using LeadPortal.Export;
using LeadPortal.Leads;

namespace LeadPortal.Tests.Export;

public sealed class ExportDescriptionTests
{
    [Fact]
    public void An_export_is_described_one_part_per_filter()
    {
        var filter = new LeadFilter { From = new DateOnly(2026, 1, 1), To = new DateOnly(2026, 12, 31), Country = "SE", Status = LeadStatus.New, ShowTest = true };

        Assert.Equal(["Received 2026-01-01 – 2026-12-31", "Country: SE", "Status: New", "test leads shown", "only not yet exported"],
            ExportService.DescribeParts(filter, onlyNew: true));
        Assert.Equal("Received 2026-01-01 – 2026-12-31 · Country: SE · Status: New · test leads shown · only not yet exported",
            ExportService.Describe(filter, onlyNew: true));
    }

    [Fact]
    public void An_export_without_filters_is_all_leads()
    {
        Assert.Empty(ExportService.DescribeParts(new LeadFilter(), onlyNew: false));
        Assert.Equal("All leads", ExportService.Describe(new LeadFilter(), onlyNew: false));
    }

    [Theory]
    [InlineData("lind\u0000qvist", "Search: \"lindqvist\"")]
    [InlineData("Maja\tLindq", "Search: \"Maja Lindq\"")]
    [InlineData("\u0000", "All leads")]
    public void The_search_is_described_as_it_was_searched(string text, string expected) =>
        Assert.Equal(expected, ExportService.Describe(new LeadFilter { Text = text }, onlyNew: false));
}
