using System.Text;
using LeadPortal.Intake;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Intake;

public sealed class LeadPayloadParserTests
{
    private static ParsedLead Parse(string json)
    {
        Assert.True(LeadPayloadParser.TryParse(Encoding.UTF8.GetBytes(json), out var lead, out var error), error?.Detail);
        return lead;
    }

    private static string Error(byte[] body)
    {
        Assert.False(LeadPayloadParser.TryParse(body, out _, out var error));
        return error!.Detail;
    }

    private static string Error(string body) => Error(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Reads_every_field_of_a_marketplace_install()
    {
        var lead = Parse(SampleLeads.Read("marketplace-install"));

        Assert.Equal("Maja", lead.FirstName);
        Assert.Equal("Lindqvist", lead.LastName);
        Assert.Equal("maja.lindqvist@fabrikam.example", lead.Email);
        Assert.Equal("+46 8 555 0101", lead.Phone);
        Assert.Equal("SE", lead.Country);
        Assert.Equal("Fabrikam AB", lead.Company);
        Assert.Equal("Head of IT", lead.Title);
        Assert.Equal("AzureMarketplace", lead.Source);
        Assert.Equal("INS", lead.ActionCode);
        Assert.Equal("fabrikam.leadportal-demo", lead.OfferId);
        Assert.Equal("LeadPortal Demo Offer", lead.OfferTitle);
        Assert.Equal("AzureMarketplace-INS|fabrikam.leadportal-demo", lead.LeadSourceRaw);
        Assert.Equal("Customer selected Get It Now", lead.Description);
        Assert.False(lead.IsTest);
    }

    [Theory]
    [InlineData("US", "US")]
    [InlineData("usa", "US")]
    [InlineData(" United States ", "US")]
    [InlineData("United States of America", "US")]
    [InlineData("Türkiye", "TR")]
    [InlineData("South Korea", "KR")]
    [InlineData("Atlantis", "Atlantis")]
    public void A_country_is_stored_as_its_iso_code_and_an_unknown_one_as_sent(string sent, string stored)
    {
        var lead = Parse("{\"UserDetails\":{\"Country\":\"" + sent + "\"}}");

        Assert.Equal(stored, lead.Country);
    }

    [Fact]
    public void Property_names_match_in_any_case()
    {
        var lead = Parse("""{"userdetails":{"FIRSTNAME":"Ann","email":"ANN@Example.COM"},"leadsource":"AppSource-PLT|a.b","OFFERTITLE":"X"}""");

        Assert.Equal("Ann", lead.FirstName);
        Assert.Equal("ANN@Example.COM", lead.Email);
        Assert.Equal("ann@example.com", lead.EmailNormalized);
        Assert.Equal("PLT", lead.ActionCode);
        Assert.Equal("X", lead.OfferTitle);
    }

    [Fact]
    public void Numbers_and_booleans_are_kept_as_their_text_and_null_or_empty_is_absent()
    {
        var lead = Parse("""{"UserDetails":{"Phone":46855501,"Company":true,"Email":null,"FirstName":"  ","Title":1.5e3},"ActionCode":null}""");

        Assert.Equal("46855501", lead.Phone);
        Assert.Equal("true", lead.Company);
        Assert.Equal("1.5e3", lead.Title);
        Assert.Null(lead.Email);
        Assert.Null(lead.FirstName);
        Assert.Null(lead.ActionCode);
    }

    [Fact]
    public void The_top_level_action_code_wins_over_the_one_in_lead_source()
    {
        var lead = Parse("""{"LeadSource":"AppSource-PLT|a.b","ActionCode":"DNC"}""");

        Assert.Equal("DNC", lead.ActionCode);
        Assert.Equal("AppSource", lead.Source);
    }

    [Fact]
    public void Known_action_codes_get_their_canonical_spelling_and_unknown_ones_stay_verbatim()
    {
        Assert.Equal("StartTestDrive", Parse("""{"ActionCode":"starttestdrive"}""").ActionCode);
        Assert.Equal("Trial-Extended", Parse("""{"ActionCode":"Trial-Extended"}""").ActionCode);
    }

    [Fact]
    public void Unknown_properties_and_an_empty_object_are_accepted()
    {
        var lead = Parse("""{"Something":{"deep":[1,2]},"UserDetails":{"Nickname":{"x":1}}}""");

        Assert.Null(lead.FirstName);
        Assert.Null(lead.Source);
        Assert.False(lead.IsTest);
        Assert.NotNull(Parse("{}"));
    }

    [Fact]
    public void A_lead_carrying_MSFT_TEST_values_is_a_test_lead()
    {
        var lead = Parse(SampleLeads.Read("microsoft-test-lead"));

        Assert.True(lead.IsTest);
        Assert.Equal("MSFT_TEST_638000000000000001", lead.FirstName);
        Assert.Equal("AzureMarketplace", lead.Source);
        Assert.Null(lead.OfferId);
        Assert.Equal("INS", lead.ActionCode);
    }

    [Fact]
    public void A_withheld_lead_keeps_only_what_is_known()
    {
        var lead = Parse(SampleLeads.Read("pii-withheld"));

        Assert.Equal("US", lead.Country);
        Assert.Equal("contoso.crm-addon", lead.OfferId);
        Assert.Null(lead.FirstName);
        Assert.Null(lead.Email);
        Assert.Null(lead.EmailNormalized);
        Assert.Null(lead.Company);
    }

    [Fact]
    public void A_byte_order_mark_is_allowed()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"ActionCode":"INS"}""")).ToArray();

        Assert.True(LeadPayloadParser.TryParse(body, out var lead, out _));
        Assert.Equal("INS", lead.ActionCode);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("  \r\n ", "empty")]
    [InlineData("{\"a\":", "not valid JSON")]
    [InlineData("hello", "not valid JSON")]
    [InlineData("[{\"ActionCode\":\"INS\"}]", "must be a JSON object, not an array")]
    [InlineData("\"text\"", "must be a JSON object, not a string")]
    [InlineData("42", "must be a JSON object, not a number")]
    [InlineData("{\"UserDetails\":\"Maja\"}", "UserDetails must be an object, not a string")]
    [InlineData("{\"UserDetails\":[]}", "UserDetails must be an object, not an array")]
    [InlineData("{\"UserDetails\":{\"Email\":{\"a\":1}}}", "UserDetails.Email must be text, not an object")]
    [InlineData("{\"UserDetails\":{\"Phone\":[1]}}", "UserDetails.Phone must be text, not an array")]
    [InlineData("{\"LeadSource\":{\"a\":1}}", "LeadSource must be text, not an object")]
    public void Says_what_is_wrong_with_a_bad_body(string body, string expected) =>
        Assert.Contains(expected, Error(body));

    [Fact]
    public void A_body_that_is_not_utf8_is_refused()
    {
        var latin1 = Encoding.Latin1.GetBytes("{\"UserDetails\":{\"FirstName\":\"Tomás\"}}");

        Assert.Contains("not valid UTF-8", Error(latin1));
    }

    [Theory]
    [InlineData("Contoso \\ud83d", "Contoso \uFFFD")]
    [InlineData("\\udc00Contoso", "\uFFFDContoso")]
    [InlineData("\\ude00\\ud83d", "\uFFFD\uFFFD")]
    [InlineData("\\ud83d\\ud83d\\ude00", "\uFFFD\U0001F600")]
    [InlineData("Smile \\ud83d\\ude00", "Smile \U0001F600")]
    [InlineData("C:\\\\ud83d", "C:\\ud83d")]
    [InlineData("\\\\\\ud83d", "\\\uFFFD")]
    public void An_escaped_lone_surrogate_is_read_as_the_replacement_character(string escaped, string expected)
    {
        var lead = Parse("{\"UserDetails\":{\"Company\":\"" + escaped + "\"}}");

        Assert.Equal(expected, lead.Company);
    }

    [Fact]
    public void A_lone_surrogate_in_a_property_name_does_not_stop_the_other_fields_being_read()
    {
        var lead = Parse("""{"UserDetails":{"Nick\udc00name":"x","Email":"ann@example.com"},"Odd\ud800":{"\ud800":"\udfff"},"ActionCode":"PLT"}""");

        Assert.Equal("ann@example.com", lead.Email);
        Assert.Equal("PLT", lead.ActionCode);
    }
}
