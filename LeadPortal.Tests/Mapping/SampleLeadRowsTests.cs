using System.Text.Json;
using LeadPortal.Intake;

namespace LeadPortal.Tests.Mapping;

public sealed class SampleLeadRowsTests
{
    public static TheoryData<string> Files => [.. SampleLeadRows.ByFile.Keys];

    [Fact]
    public void Every_sample_file_has_a_hand_built_row()
    {
        var files = Directory.GetFiles(SampleLeadRows.SamplesFolder(), "*.json").Select(Path.GetFileName).Order();

        Assert.Equal(SampleLeadRows.ByFile.Keys.Order(), files);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void The_hand_built_row_matches_its_sample_file(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleLeadRows.SamplesFolder(), file)));
        var body = json.RootElement;
        var user = Property(body, "UserDetails")!.Value;
        var row = SampleLeadRows.ByFile[file];
        var source = LeadSourceParser.Parse(Text(body, "LeadSource"));

        Assert.Equal(Text(user, "FirstName"), row.FirstName);
        Assert.Equal(Text(user, "LastName"), row.LastName);
        Assert.Equal(Text(user, "Email"), row.Email);
        Assert.Equal(Text(user, "Phone"), row.Phone);
        Assert.Equal(Text(user, "Country"), row.Country);
        Assert.Equal(Text(user, "Company"), row.Company);
        Assert.Equal(Text(user, "Title"), row.Title);
        Assert.Equal(Text(body, "LeadSource"), row.LeadSourceRaw);
        Assert.Equal(Text(body, "ActionCode"), row.ActionCode);
        Assert.Equal(Text(body, "OfferTitle"), row.OfferTitle);
        Assert.Equal(Text(body, "Description"), row.Description);
        Assert.Equal(source.Source, row.Source);
        Assert.Equal(source.Offer, row.OfferId);
        Assert.Equal(row.FirstName?.StartsWith("MSFT_TEST", StringComparison.Ordinal) == true, row.IsTest);
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        // Partner Center's own test lead spells the key userDetails.
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) => Property(element, name)?.GetString();
}
