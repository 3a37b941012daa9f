using LeadPortal.Mapping;
using static LeadPortal.Tests.Mapping.Profiles;

namespace LeadPortal.Tests.Mapping;

public sealed class TemplateTests
{
    [Fact]
    public void Placeholders_are_replaced_by_field_values() =>
        Assert.Equal(
            "LeadPortal Demo Offer – Get it now / free trial",
            Value(Template("Topic", "{OfferTitle} – {ActionLabel}"), SampleLeadRows.MarketplaceInstall));

    [Fact]
    public void Placeholder_names_ignore_case_and_surrounding_spaces() =>
        Assert.Equal("Maja/Lindqvist", Value(Template("T", "{firstname}/{ LASTNAME }"), SampleLeadRows.MarketplaceInstall));

    [Fact]
    public void Doubled_braces_are_literal_braces() =>
        Assert.Equal("{Maja} {x}", Value(Template("T", "{{{FirstName}}} {{x}}"), SampleLeadRows.MarketplaceInstall));

    [Fact]
    public void A_template_without_placeholders_is_plain_text() =>
        Assert.Equal("Marketplace lead", Value(Template("T", "Marketplace lead"), SampleLeadRows.MarketplaceInstall));

    [Fact]
    public void A_missing_value_becomes_empty_text() =>
        Assert.Equal("Offer:  ()", Value(Template("T", "Offer: {OfferTitle} ({Description})"), SampleLeadRows.Blank()));

    [Fact]
    public void ReceivedAt_in_a_template_uses_the_profile_date_format_and_time_zone()
    {
        var definition = Of(Template("T", "Received {ReceivedAt}"));
        definition.Settings.DateFormat = "dd.MM.yyyy HH:mm";
        definition.Settings.TimeZone = "Europe/Stockholm";

        var value = Compile(definition).Map(SampleLeadRows.MarketplaceInstall).Values.Single();

        Assert.Equal("Received 23.11.2026 09:15", value);
    }

    [Fact]
    public void An_unknown_placeholder_is_reported_with_the_column_number_and_header() =>
        Assert.Equal(
            ["Column 3 (\"Topic\"): unknown field {OfferName} in template"],
            Errors(Field("A", "FirstName"), Field("B", "LastName"), Template("Topic", "{OfferName} – {ActionLabel}")));

    [Theory]
    [InlineData("{OfferTitle")]
    [InlineData("Offer {")]
    [InlineData("{First{LastName}")]
    public void An_unclosed_brace_is_reported(string template) =>
        Assert.Equal(["Column 1 (\"T\"): unclosed { in template (write {{ for a literal brace)"], Errors(Template("T", template)));

    [Theory]
    [InlineData("OfferTitle}")]
    [InlineData("{OfferTitle}}")]
    public void An_unmatched_closing_brace_is_reported(string template) =>
        Assert.Equal(["Column 1 (\"T\"): unmatched } in template (write }} for a literal brace)"], Errors(Template("T", template)));

    [Theory]
    [InlineData("{}")]
    [InlineData("a { } b")]
    public void An_empty_placeholder_is_reported(string template) =>
        Assert.Equal(["Column 1 (\"T\"): empty {} in template"], Errors(Template("T", template)));

    [Fact]
    public void An_empty_template_is_reported() =>
        Assert.Equal(["Column 1 (\"T\"): template is empty"], Errors(Template("T", "")));
}
