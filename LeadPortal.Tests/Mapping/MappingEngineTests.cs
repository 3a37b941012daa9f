using LeadPortal.Mapping;
using static LeadPortal.Tests.Mapping.Profiles;

namespace LeadPortal.Tests.Mapping;

public sealed class MappingEngineTests
{
    private static readonly LeadRow Maja = SampleLeadRows.MarketplaceInstall;

    [Fact]
    public void Every_catalogue_field_reads_its_value_from_the_row()
    {
        var row = Maja with
        {
            Id = 42, Status = "Contacted", OwnerName = "Sam Seller", OwnerEmail = "sam@example.com", Notes = "Called | Booked",
            PhoneE164 = "+4685550101", PhoneExtension = "12", PhoneValidity = LeadPortal.Shared.Validity.Valid, EmailValidity = LeadPortal.Shared.Validity.Invalid,
            DisqualifyReason = "Other", DisqualifyNote = "Bought a competitor's", CrmId = "OPP-1042", DealValue = 12500.5m,
            Origin = LeadPortal.Data.LeadOrigin.Table, OriginName = "Marketplace table",
            CompanyDomain = "fabrikam.example", Quality = LeadPortal.Shared.QualityRating.Medium,
            QualityReasons = LeadPortal.Shared.QualityReason.CompanyMissing | LeadPortal.Shared.QualityReason.FreemailAddress,
            CampaignId = "spring", CampaignSource = "linkedin", CampaignFields = "{\"mktcmpid\":\"spring\",\"src\":\"linkedin\"}",
        };
        var expected = new Dictionary<string, string>
        {
            ["LeadId"] = "42",
            ["ReceivedAt"] = "2026-11-23 08:15",
            ["Source"] = "AzureMarketplace",
            ["ActionCode"] = "INS",
            ["ActionLabel"] = "Get it now / free trial",
            ["OfferId"] = "fabrikam.leadportal-demo",
            ["OfferTitle"] = "LeadPortal Demo Offer",
            ["LeadSource"] = "AzureMarketplace-INS|fabrikam.leadportal-demo",
            ["Description"] = "Customer selected Get It Now",
            ["CampaignId"] = "spring",
            ["CampaignSource"] = "linkedin",
            ["CampaignFields"] = "{\"mktcmpid\":\"spring\",\"src\":\"linkedin\"}",
            ["FirstName"] = "Maja",
            ["LastName"] = "Lindqvist",
            ["FullName"] = "Maja Lindqvist",
            ["Email"] = "maja.lindqvist@fabrikam.example",
            ["EmailValidity"] = "Invalid",
            ["Phone"] = "+46 8 555 0101",
            ["PhoneE164"] = "+4685550101",
            ["PhoneExtension"] = "12",
            ["PhoneValidity"] = "Valid",
            ["Country"] = "SE",
            ["Company"] = "Fabrikam AB",
            ["Quality"] = "Medium",
            ["QualityReasons"] = "No company given; Free mail address, not the company's",
            ["CompanyDomain"] = "fabrikam.example",
            ["Title"] = "Head of IT",
            ["Status"] = "Contacted",
            ["Owner"] = "Sam Seller",
            ["OwnerEmail"] = "sam@example.com",
            ["Notes"] = "Called | Booked",
            ["DisqualifyReason"] = "Other",
            ["DisqualifyNote"] = "Bought a competitor's",
            ["CrmId"] = "OPP-1042",
            ["DealValue"] = "12500.50",
            ["IsTest"] = "No",
            ["Origin"] = "Azure Table",
            ["OriginName"] = "Marketplace table",
        };

        Assert.Equal(expected.Keys, LeadFields.All.Select(f => f.Name));
        var mapping = Compile(Of([.. expected.Keys.Select(name => Field(name, name))]));
        Assert.Equal(expected.Values, mapping.Map(row).Values);
    }

    [Fact]
    public void Every_catalogue_field_has_a_label() =>
        Assert.All(LeadFields.All, f => Assert.False(string.IsNullOrWhiteSpace(f.Label)));

    [Theory]
    [InlineData("firstname")]
    [InlineData("FIRSTNAME")]
    [InlineData(" FirstName ")]
    public void Field_names_are_matched_ignoring_case(string name) => Assert.Equal("Maja", Value(Field("A", name), Maja));

    [Theory]
    [InlineData("INS", "Get it now / free trial")]
    [InlineData("PLT", "Contact me")]
    [InlineData("DNC", "Do not contact")]
    [InlineData("Create", "Azure portal purchase")]
    [InlineData("StartTestDrive", "Test drive")]
    [InlineData("plt", "Contact me")]
    [InlineData("Upsell", "Upsell")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void ActionLabel_is_the_friendly_label_of_the_action_code(string? code, string label)
    {
        Assert.Equal(label, (Maja with { ActionCode = code }).ActionLabel);
        Assert.Equal(label, Value(Field("A", "ActionLabel"), Maja with { ActionCode = code }));
    }

    [Theory]
    [InlineData("Maja", "Lindqvist", "Maja Lindqvist")]
    [InlineData(" Maja ", null, "Maja")]
    [InlineData(null, "Lindqvist", "Lindqvist")]
    [InlineData("", "", "")]
    public void FullName_joins_the_names_that_are_present(string? first, string? last, string full) =>
        Assert.Equal(full, Value(Field("A", "FullName"), Maja with { FirstName = first, LastName = last }));

    [Fact]
    public void IsTest_is_yes_for_a_test_lead() => Assert.Equal("Yes", Value(Field("A", "IsTest"), SampleLeadRows.MicrosoftTestLead));

    [Fact]
    public void ReceivedAt_is_shown_in_the_profile_time_zone_with_its_format()
    {
        var definition = Of(Field("Received", "ReceivedAt"));
        definition.Settings.TimeZone = "Europe/Stockholm";
        definition.Settings.DateFormat = "yyyy-MM-dd'T'HH:mm";
        var mapping = Compile(definition);

        Assert.Equal("2026-01-15T13:30", mapping.Map(Maja with { ReceivedAt = new DateTime(2026, 1, 15, 12, 30, 0, DateTimeKind.Utc) }).Values[0]);
        Assert.Equal("2026-07-01T14:30", mapping.Map(Maja with { ReceivedAt = new DateTime(2026, 7, 1, 12, 30, 0, DateTimeKind.Utc) }).Values[0]);
    }

    [Fact]
    public void ReceivedAt_of_unspecified_kind_is_read_as_utc()
    {
        var definition = Of(Field("Received", "ReceivedAt"));
        definition.Settings.TimeZone = "Europe/Stockholm";

        var value = Compile(definition).Map(Maja with { ReceivedAt = new DateTime(2026, 1, 15, 12, 30, 0) }).Values[0];

        Assert.Equal("2026-01-15 13:30", value);
    }

    [Fact]
    public void DateFormat_reformats_ReceivedAt_in_the_profile_time_zone()
    {
        var definition = Of(Field("Day", "ReceivedAt", ColumnTransform.Of(TransformKind.DateFormat, format: "dd.MM.yyyy")));
        definition.Settings.TimeZone = "Europe/Stockholm";

        var value = Compile(definition).Map(Maja with { ReceivedAt = new DateTime(2026, 1, 15, 23, 30, 0, DateTimeKind.Utc) }).Values[0];

        Assert.Equal("16.01.2026", value);
    }

    [Fact]
    public void Transforms_apply_in_the_order_listed()
    {
        var row = Maja with { Company = "  fabrikam ab  " };

        Assert.Equal("FAB", Value(Field("A", "Company", ColumnTransform.Of(TransformKind.Trim), ColumnTransform.Of(TransformKind.Truncate, 3), ColumnTransform.Of(TransformKind.Upper)), row));
        Assert.Equal("F", Value(Field("A", "Company", ColumnTransform.Of(TransformKind.Truncate, 3), ColumnTransform.Of(TransformKind.Upper), ColumnTransform.Of(TransformKind.Trim)), row));
    }

    [Fact]
    public void Every_transform_kind_works_in_a_column()
    {
        var row = Maja with { FirstName = " ó briain ", Country = "Sweden", Phone = "+46 (8) 555-0101" };

        Assert.Equal("ó briain", Value(Field("A", "FirstName", ColumnTransform.Of(TransformKind.Trim)), row));
        Assert.Equal(" Ó BRIAIN ", Value(Field("A", "FirstName", ColumnTransform.Of(TransformKind.Upper)), row));
        Assert.Equal(" ó briain ", Value(Field("A", "FirstName", ColumnTransform.Of(TransformKind.Lower)), row with { FirstName = " Ó BRIAIN " }));
        Assert.Equal(" Ó Briain ", Value(Field("A", "FirstName", ColumnTransform.Of(TransformKind.TitleCase)), row));
        Assert.Equal(" ó b", Value(Field("A", "FirstName", ColumnTransform.Of(TransformKind.Truncate, 4)), row));
        Assert.Equal("SE", Value(Field("A", "Country", ColumnTransform.Of(TransformKind.CountryToIso2)), row));
        Assert.Equal("Sweden", Value(Field("A", "Country", ColumnTransform.Of(TransformKind.CountryToIso2), ColumnTransform.Of(TransformKind.CountryToName)), row));
        Assert.Equal("+4685550101", Value(Field("A", "Phone", ColumnTransform.Of(TransformKind.DigitsOnlyPhone)), row));
        Assert.Equal("2026", Value(Field("A", "ReceivedAt", ColumnTransform.Of(TransformKind.DateFormat, format: "yyyy")), row));
    }

    [Fact]
    public void A_constant_is_the_same_on_every_row()
    {
        var mapping = Compile(Constant("LeadSource", "Microsoft Marketplace"), Constant("Empty", null));

        Assert.Equal(["Microsoft Marketplace", ""], mapping.Map(Maja).Values);
        Assert.Equal(["Microsoft Marketplace", ""], mapping.Map(SampleLeadRows.Blank()).Values);
    }

    [Fact]
    public void Values_are_never_null()
    {
        var mapping = Compile(Of([.. LeadFields.All.Select(f => Field(f.Name, f.Name))]));

        Assert.All(mapping.Map(SampleLeadRows.Blank()).Values, Assert.NotNull);
    }

    [Fact]
    public void The_default_value_replaces_an_empty_value_after_the_transforms()
    {
        var column = Field("Last", "LastName", ColumnTransform.Of(TransformKind.Trim), ColumnTransform.Of(TransformKind.Upper));
        column.DefaultValue = "[not provided]";
        var mapping = Compile(column);

        Assert.Equal("[not provided]", mapping.Map(Maja with { LastName = null }).Values[0]);
        Assert.Equal("[not provided]", mapping.Map(Maja with { LastName = "   " }).Values[0]);
        Assert.Equal("LINDQVIST", mapping.Map(Maja).Values[0]);
    }

    [Fact]
    public void A_required_column_with_an_empty_value_is_reported_by_header()
    {
        var email = Field("Email", "Email");
        email.Required = true;
        var last = Field("Last", "LastName");
        last.Required = true;
        var mapping = Compile(email, last, Field("First", "FirstName"));

        Assert.Equal(["Email", "Last"], mapping.Map(Maja with { Email = " ", LastName = null, FirstName = null }).MissingRequired);
        Assert.False(mapping.Map(Maja with { Email = null }).IsComplete);
        Assert.Empty(mapping.Map(Maja).MissingRequired);
        Assert.True(mapping.Map(Maja).IsComplete);
    }

    [Fact]
    public void A_required_column_is_satisfied_by_its_default_value()
    {
        var column = Field("Last", "LastName");
        column.Required = true;
        column.DefaultValue = "[not provided]";

        Assert.Empty(Compile(column).Map(SampleLeadRows.PiiWithheld).MissingRequired);
    }

    [Fact]
    public void RequireAnyOf_is_met_by_any_one_of_its_columns()
    {
        var definition = Of(Field("email", "Email"), Field("firstname", "FirstName"), Field("lastname", "LastName"));
        definition.RequireAnyOf = ["email", "firstname", "lastname"];
        var mapping = Compile(definition);

        Assert.Empty(mapping.Map(Maja with { Email = "", FirstName = "" }).MissingRequired);
        Assert.Empty(mapping.Map(Maja with { FirstName = "", LastName = "" }).MissingRequired);
        Assert.Equal(["one of email, firstname, lastname"], mapping.Map(SampleLeadRows.PiiWithheld).MissingRequired);
    }

    [Fact]
    public void RequireAnyOf_matches_headers_ignoring_case_and_reports_them_as_the_columns_spell_them()
    {
        var company = Field("Company", "Company");
        company.Required = true;
        var definition = Of(company, Field("Email", "Email"), Field("Phone", "Phone"));
        definition.RequireAnyOf = ["EMAIL", " phone "];

        Assert.Equal(["Company", "one of Email, Phone"], Compile(definition).Map(SampleLeadRows.PiiWithheld).MissingRequired);
    }

    [Fact]
    public void Headers_are_trimmed_and_returned_as_a_copy()
    {
        var mapping = Compile(Field(" First Name ", "FirstName"));

        mapping.Headers[0] = "changed";

        Assert.Equal(["First Name"], mapping.Headers);
    }

    [Fact]
    public void Editing_the_definition_after_compiling_does_not_change_the_compiled_mapping()
    {
        var definition = Of(Field("Email", "Email", ColumnTransform.Of(TransformKind.Upper)));
        var mapping = Compile(definition);

        definition.Columns[0].Field = "Phone";
        definition.Columns[0].Transforms.Clear();
        definition.Settings.IncludeTestLeads = true;

        Assert.Equal(["MAJA.LINDQVIST@FABRIKAM.EXAMPLE"], mapping.Map(Maja).Values);
        Assert.False(mapping.IncludeTestLeads);
    }

    [Theory]
    [InlineData(false, false, false, false)]
    [InlineData(true, false, true, false)]
    [InlineData(false, true, false, true)]
    [InlineData(true, true, true, true)]
    public void Includes_skips_test_and_do_not_contact_leads_unless_the_settings_allow_them(
        bool includeTest, bool includeDnc, bool testIncluded, bool dncIncluded)
    {
        var definition = Of(Field("Email", "Email"));
        definition.Settings.IncludeTestLeads = includeTest;
        definition.Settings.IncludeDoNotContact = includeDnc;
        var mapping = Compile(definition);

        Assert.True(mapping.Includes(Maja));
        Assert.Equal(testIncluded, mapping.Includes(SampleLeadRows.MicrosoftTestLead));
        Assert.Equal(dncIncluded, mapping.Includes(SampleLeadRows.DoNotContact));
        Assert.Equal(dncIncluded, mapping.Includes(Maja with { ActionCode = "dnc" }));
        Assert.Equal(testIncluded && dncIncluded, mapping.Includes(SampleLeadRows.DoNotContact with { IsTest = true }));
    }
}
