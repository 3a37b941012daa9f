using LeadPortal.Campaigns;

namespace LeadPortal.Tests.Campaigns;

/// <summary>One table a format, and garbage that must give nothing and never throw.</summary>
public sealed class CampaignParserTests
{
    private static string Fields(string? description) =>
        string.Join("; ", CampaignParser.Parse(description).Fields.Select(f => $"{f.Key}={f.Value}"));

    [Theory]
    [InlineData("{\"mktcmpid\":\"spring-2026\",\"src\":\"linkedin\"}", "mktcmpid=spring-2026; src=linkedin")]
    [InlineData("  {\"MKTCMPID\": \"Spring\", \"utm_medium\": \"social\", \"rank\": 3, \"paid\": true} ", "mktcmpid=Spring; utm_medium=social; rank=3; paid=true")]
    [InlineData("{\"mktcmpid\":\"a\",\"nested\":{\"x\":1},\"list\":[1,2],\"none\":null}", "mktcmpid=a")] // scalars only
    [InlineData("{\"mktcmpid\":\"first\",\"MktCmpId\":\"second\"}", "mktcmpid=first")] // a key once, the first wins
    public void A_json_object(string description, string expected) => Assert.Equal(expected, Fields(description));

    [Theory]
    [InlineData("mktcmpid=spring-2026&src=linkedin", "mktcmpid=spring-2026; src=linkedin")]
    [InlineData("?mktcmpid=spring&src=newsletter&utm_content=hero%20banner", "mktcmpid=spring; src=newsletter; utm_content=hero banner")]
    [InlineData("src=partner+portal", "src=partner portal")]
    [InlineData("Customer selected Get It Now https://azuremarketplace.example/offer?mktcmpid=spring&src=ads.", "mktcmpid=spring; src=ads")]
    [InlineData("mktcmpid=a&&src=b&", "mktcmpid=a; src=b")]
    public void A_query_string_whole_or_inside_a_sentence(string description, string expected) => Assert.Equal(expected, Fields(description));

    [Theory]
    [InlineData("Campaigns: mktcmpid=spring&src=linkedin", "mktcmpid=spring; src=linkedin")]
    [InlineData("campaigns:{\"mktcmpid\":\"spring\"}", "mktcmpid=spring")]
    [InlineData("Campaigns: spring-2026", "mktcmpid=spring-2026")] // a bare value is the campaign id
    [InlineData("CAMPAIGNS:   ", "")]
    public void A_campaigns_prefix(string description, string expected) => Assert.Equal(expected, Fields(description));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Customer selected Get It Now")]
    [InlineData("We need 2 licences; price=negotiable, call me")] // prose with an = is not a query string
    [InlineData("{not json")]
    [InlineData("{\"mktcmpid\": ")]
    [InlineData("[\"mktcmpid\", \"spring\"]")]
    [InlineData("=&=&==")]
    [InlineData("1abc=x")] // a key starts with a letter
    [InlineData("Campaigns: =")]
    [InlineData("mktcmpid=\u0000\u0001")] // nothing left once control characters go
    public void Garbage_gives_no_fields_and_never_throws(string? description) => Assert.Equal("", Fields(description));

    [Fact]
    public void Values_are_cleaned_and_capped_and_keys_limited()
    {
        Assert.Equal("mktcmpid=spring", Fields("mktcmpid=spr\u0007ing"));
        Assert.Equal("src=x", Fields("{\"mktcmpid\":\"a\\ud800b\",\"src\":\"x\"}")); // a value JSON cannot give as text goes
        Assert.Equal("%E0%A4%A", CampaignParser.Parse("mktcmpid=%E0%A4%A").Id); // a broken escape stays as written
        Assert.Equal(CampaignParser.MaxValueLength, CampaignParser.Parse("mktcmpid=" + new string('x', 1000)).Id!.Length);
        Assert.Equal(CampaignParser.MaxFields, CampaignParser.Parse(string.Join('&', Enumerable.Range(0, 50).Select(i => $"k{i}=v"))).Fields.Count);
        Assert.True(CampaignParser.Parse("mktcmpid=a&" + new string('b', 70) + "=c").IsEmpty); // an over-long key: not a query string
        Assert.True(CampaignParser.Parse("mktcmpid=x&" + new string('&', CampaignParser.MaxInput)).IsEmpty); // too long to be parameters
    }

    [Fact]
    public void The_stored_json_reads_back_to_the_same_fields()
    {
        var fields = CampaignParser.Parse("mktcmpid=spring&src=linkedin&utm_term=ö");

        Assert.Equal(("spring", "linkedin"), (fields.Id, fields.Source));
        Assert.Equal(fields.Fields, CampaignFields.FromJson(fields.ToJson()).Fields);
        Assert.Null(CampaignFields.None.ToJson());
        Assert.True(CampaignFields.FromJson("garbage").IsEmpty);
    }
}
