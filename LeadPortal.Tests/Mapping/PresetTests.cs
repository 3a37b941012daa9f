using LeadPortal.Mapping;

namespace LeadPortal.Tests.Mapping;

public sealed class PresetTests
{
    private const string Msft = SampleLeadRows.MsftTest;
    private const string NotProvided = "[not provided]";

    public static TheoryData<string> Keys => [Presets.Dynamics365Lead, Presets.SalesforceLead, Presets.SalesforceLeadDataLoader, Presets.HubSpotContacts];

    private static CompiledMapping Compile(string key)
    {
        var result = MappingEngine.Compile(Presets.Get(key)!.Definition);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Mapping;
    }

    [Fact]
    public void All_lists_the_four_built_in_presets() =>
        Assert.Equal(
            [Presets.Dynamics365Lead, Presets.HubSpotContacts, Presets.SalesforceLead, Presets.SalesforceLeadDataLoader],
            Presets.All.Select(p => p.Key).Order());

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_preset_has_a_name_and_description_and_compiles(string key)
    {
        var preset = Presets.Get(key)!;

        Assert.Equal(key, preset.Key);
        Assert.False(string.IsNullOrWhiteSpace(preset.Name));
        Assert.False(string.IsNullOrWhiteSpace(preset.Description));
        Assert.True(MappingEngine.Compile(preset.Definition).Succeeded);
    }

    [Fact]
    public void Get_ignores_the_case_of_the_key_and_returns_null_for_an_unknown_key()
    {
        Assert.Equal(Presets.SalesforceLead, Presets.Get("SALESFORCE-LEAD")?.Key);
        Assert.Null(Presets.Get("pipedrive-person"));
    }

    [Fact]
    public void Get_returns_a_fresh_copy_each_call()
    {
        var first = Presets.Get(Presets.Dynamics365Lead)!;
        first.Definition.Columns.Clear();
        first.Definition.Settings.Utf8Bom = false;

        var second = Presets.Get(Presets.Dynamics365Lead)!;

        Assert.NotSame(first.Definition, second.Definition);
        Assert.Equal(10, second.Definition.Columns.Count);
        Assert.True(second.Definition.Settings.Utf8Bom);
    }

    [Fact]
    public void All_returns_fresh_copies_each_call()
    {
        Presets.All[0].Definition.Columns.Clear();

        Assert.All(Presets.All, p => Assert.NotEmpty(p.Definition.Columns));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_preset_trims_the_person_fields(string key)
    {
        var person = new[] { "FirstName", "LastName", "Email", "Phone", "Company", "Title" };
        var columns = Presets.Get(key)!.Definition.Columns.Where(c => c.Kind == ColumnValueKind.Field && person.Contains(c.Field)).ToList();

        Assert.Equal(person.Length, columns.Count);
        Assert.All(columns, c => Assert.Equal(TransformKind.Trim, c.Transforms[0].Kind));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_preset_leaves_out_test_and_do_not_contact_leads(string key)
    {
        var mapping = Compile(key);

        Assert.False(mapping.Includes(SampleLeadRows.MicrosoftTestLead));
        Assert.False(mapping.Includes(SampleLeadRows.DoNotContact));
        Assert.True(mapping.Includes(SampleLeadRows.MarketplaceInstall));
    }

    [Fact]
    public void Dynamics_365_uses_the_lead_import_display_names_with_a_byte_order_mark()
    {
        var mapping = Compile(Presets.Dynamics365Lead);

        Assert.Equal(
            ["First Name", "Last Name", "Topic", "Company Name", "Email", "Business Phone", "Job Title", "Country/Region", "Description", "Lead Source"],
            mapping.Headers);
        Assert.True(mapping.Utf8Bom);
        Assert.Equal(CsvDelimiter.Comma, mapping.Delimiter);
    }

    public static TheoryData<LeadRow, string[]> DynamicsRows => new()
    {
        { SampleLeadRows.MarketplaceInstall, ["Maja", "Lindqvist", "LeadPortal Demo Offer – Get it now / free trial", "Fabrikam AB", "maja.lindqvist@fabrikam.example", "+46 8 555 0101", "Head of IT", "Sweden", "Customer selected Get It Now", "Web"] },
        { SampleLeadRows.AppSourceContactMe, ["Tomás", "Ó Briain", "Contoso CRM Add-on – Contact me", "Northwind Traders", "tomas@northwind.example", "353 1 555 0199", "CFO", "Ireland", "Contact me", "Web"] },
        { SampleLeadRows.PortalCreate, ["Aiko", "Tanaka", "Contoso VM Image – Azure portal purchase", "Tailspin Toys", "aiko.tanaka@tailspin.example", "", "Cloud Architect", "Japan", "", "Web"] },
        { SampleLeadRows.TestDrive, ["Ben", "Okafor", "Contoso Analytics – Test drive", "Adatum", "ben.okafor@adatum.example", "4155550123", "Developer", "Nigeria", "Started a test drive", "Web"] },
        { SampleLeadRows.DoNotContact, ["Priya", "Nair", "Contoso CRM Add-on – Do not contact", "Woodgrove Bank", "priya.nair@woodgrove.example", "", "", "India", "", "Web"] },
        { SampleLeadRows.MicrosoftTestLead, [Msft, Msft, "Contoso Test – Get it now / free trial", Msft, Msft + "@test.com", "1234567890", Msft, "United States", Msft, "Web"] },
        { SampleLeadRows.PiiWithheld, ["", NotProvided, "Contoso CRM Add-on – Get it now / free trial", "", "", "", "", "United States", "", "Web"] },
    };

    [Theory]
    [MemberData(nameof(DynamicsRows))]
    public void Dynamics_365_maps_each_sample_lead(LeadRow row, string[] expected)
    {
        var mapped = Compile(Presets.Dynamics365Lead).Map(row);

        Assert.Equal(expected, mapped.Values);
        Assert.Empty(mapped.MissingRequired);
    }

    [Fact]
    public void Dynamics_365_cuts_values_to_the_field_lengths()
    {
        var row = SampleLeadRows.MarketplaceInstall with { FirstName = new string('a', 60), Description = new string('d', 2500), OfferTitle = new string('o', 400) };

        var values = Compile(Presets.Dynamics365Lead).Map(row).Values;

        Assert.Equal(50, values[0].Length);
        Assert.Equal(300, values[2].Length);
        Assert.Equal(2000, values[8].Length);
    }

    [Fact]
    public void Salesforce_for_the_import_wizard_uses_field_labels_without_a_byte_order_mark()
    {
        var mapping = Compile(Presets.SalesforceLead);

        Assert.Equal(
            ["First Name", "Last Name", "Company", "Email", "Phone", "Title", "Country Code", "Lead Source", "Description", "Lead Status"],
            mapping.Headers);
        Assert.False(mapping.Utf8Bom);
        Assert.Equal(CsvDelimiter.Comma, mapping.Delimiter);
    }

    [Fact]
    public void Salesforce_for_data_loader_uses_api_names_with_a_byte_order_mark_and_the_same_values()
    {
        var loader = Compile(Presets.SalesforceLeadDataLoader);

        Assert.Equal(
            ["FirstName", "LastName", "Company", "Email", "Phone", "Title", "CountryCode", "LeadSource", "Description", "Status"],
            loader.Headers);
        Assert.True(loader.Utf8Bom);
        Assert.Contains("Read all CSVs with UTF-8 encoding", Presets.Get(Presets.SalesforceLeadDataLoader)!.Description);
        Assert.Equal(Compile(Presets.SalesforceLead).Map(SampleLeadRows.AppSourceContactMe).Values, loader.Map(SampleLeadRows.AppSourceContactMe).Values);
    }

    [Theory]
    [InlineData("New", "Open - Not Contacted", "NEW")]
    [InlineData("Contacted", "Working - Contacted", "ATTEMPTED_TO_CONTACT")]
    [InlineData("Qualified", "Working - Contacted", "OPEN_DEAL")]
    [InlineData("Disqualified", "Closed - Not Converted", "UNQUALIFIED")]
    [InlineData("Converted", "Working - Contacted", "OPEN_DEAL")]
    public void The_lead_status_columns_come_from_the_leads_own_status(string status, string salesforce, string hubspot)
    {
        var row = SampleLeadRows.MarketplaceInstall with { Status = status };

        Assert.Equal(salesforce, Compile(Presets.SalesforceLead).Map(row).Values[^1]);
        Assert.Equal(hubspot, Compile(Presets.HubSpotContacts).Map(row).Values[^1]);
    }

    public static TheoryData<LeadRow, string[]> SalesforceRows => new()
    {
        { SampleLeadRows.MarketplaceInstall, ["Maja", "Lindqvist", "Fabrikam AB", "maja.lindqvist@fabrikam.example", "+46 8 555 0101", "Head of IT", "SE", "Microsoft Marketplace", "Customer selected Get It Now", "Open - Not Contacted"] },
        { SampleLeadRows.AppSourceContactMe, ["Tomás", "Ó Briain", "Northwind Traders", "tomas@northwind.example", "353 1 555 0199", "CFO", "IE", "Microsoft Marketplace", "Contact me", "Open - Not Contacted"] },
        { SampleLeadRows.PortalCreate, ["Aiko", "Tanaka", "Tailspin Toys", "aiko.tanaka@tailspin.example", "", "Cloud Architect", "JP", "Microsoft Marketplace", "", "Open - Not Contacted"] },
        { SampleLeadRows.TestDrive, ["Ben", "Okafor", "Adatum", "ben.okafor@adatum.example", "4155550123", "Developer", "NG", "Microsoft Marketplace", "Started a test drive", "Open - Not Contacted"] },
        { SampleLeadRows.DoNotContact, ["Priya", "Nair", "Woodgrove Bank", "priya.nair@woodgrove.example", "", "", "IN", "Microsoft Marketplace", "", "Open - Not Contacted"] },
        { SampleLeadRows.MicrosoftTestLead, [Msft, Msft, Msft, Msft + "@test.com", "1234567890", Msft, "US", "Microsoft Marketplace", Msft, "Open - Not Contacted"] },
        { SampleLeadRows.PiiWithheld, ["", NotProvided, NotProvided, "", "", "", "US", "Microsoft Marketplace", "", "Open - Not Contacted"] },
    };

    [Theory]
    [MemberData(nameof(SalesforceRows))]
    public void Salesforce_maps_each_sample_lead(LeadRow row, string[] expected)
    {
        var mapped = Compile(Presets.SalesforceLead).Map(row);

        Assert.Equal(expected, mapped.Values);
        Assert.Empty(mapped.MissingRequired);
    }

    [Fact]
    public void HubSpot_uses_the_contact_property_names_without_a_byte_order_mark()
    {
        var mapping = Compile(Presets.HubSpotContacts);

        Assert.Equal(
            ["firstname", "lastname", "email", "phone", "company", "jobtitle", "country", "lifecyclestage", "hs_lead_status"],
            mapping.Headers);
        Assert.False(mapping.Utf8Bom);
        Assert.Equal(CsvDelimiter.Comma, mapping.Delimiter);
        Assert.Equal(["email", "firstname", "lastname"], Presets.Get(Presets.HubSpotContacts)!.Definition.RequireAnyOf);
    }

    public static TheoryData<LeadRow, string[]> HubSpotRows => new()
    {
        { SampleLeadRows.MarketplaceInstall, ["Maja", "Lindqvist", "maja.lindqvist@fabrikam.example", "+46 8 555 0101", "Fabrikam AB", "Head of IT", "Sweden", "lead", "NEW"] },
        { SampleLeadRows.AppSourceContactMe, ["Tomás", "Ó Briain", "tomas@northwind.example", "353 1 555 0199", "Northwind Traders", "CFO", "Ireland", "lead", "NEW"] },
        { SampleLeadRows.PortalCreate, ["Aiko", "Tanaka", "aiko.tanaka@tailspin.example", "", "Tailspin Toys", "Cloud Architect", "Japan", "lead", "NEW"] },
        { SampleLeadRows.TestDrive, ["Ben", "Okafor", "ben.okafor@adatum.example", "4155550123", "Adatum", "Developer", "Nigeria", "lead", "NEW"] },
        { SampleLeadRows.DoNotContact, ["Priya", "Nair", "priya.nair@woodgrove.example", "", "Woodgrove Bank", "", "India", "lead", "NEW"] },
        { SampleLeadRows.MicrosoftTestLead, [Msft, Msft, Msft + "@test.com", "1234567890", Msft, Msft, "United States", "lead", "NEW"] },
        { SampleLeadRows.PiiWithheld, ["", "", "", "", "", "", "United States", "lead", "NEW"] },
    };

    [Theory]
    [MemberData(nameof(HubSpotRows))]
    public void HubSpot_maps_each_sample_lead(LeadRow row, string[] expected) =>
        Assert.Equal(expected, Compile(Presets.HubSpotContacts).Map(row).Values);

    [Fact]
    public void HubSpot_reports_a_lead_without_email_or_name()
    {
        var mapping = Compile(Presets.HubSpotContacts);

        Assert.Equal(["one of email, firstname, lastname"], mapping.Map(SampleLeadRows.PiiWithheld).MissingRequired);
        Assert.All(
            SampleLeadRows.ByFile.Values.Where(r => r != SampleLeadRows.PiiWithheld),
            r => Assert.Empty(mapping.Map(r).MissingRequired));
    }
}
