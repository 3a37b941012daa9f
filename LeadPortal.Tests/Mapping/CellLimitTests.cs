using LeadPortal.Mapping;

namespace LeadPortal.Tests.Mapping;

/// <summary>Every cell fits its CRM field as the CRM counts it (UTF-16 units), and the formula guard never pushes it over.</summary>
public sealed class CellLimitTests
{
    private static readonly string Hindi = string.Concat(Enumerable.Repeat("नमस्ते टेक्नोलॉजीज़ ", 40));
    private static readonly string Thai = string.Concat(Enumerable.Repeat("บริษัท สวัสดี จำกัด ", 40));
    private static readonly string Family = string.Concat(Enumerable.Repeat("👨‍👩‍👧‍👦", 30));
    private static readonly string LongEmail = new string('a', 110) + "@example.com";

    public static TheoryData<string> PresetKeys() => [.. Presets.All.Select(p => p.Key)];

    private static LeadRow Lead(string? description = null, string? phone = "+1 425 555 0100 ext 12", string? email = "ann@example.com") => new(
        7, new DateTime(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc), "AppSource", "PLT", "contoso.crm", "Contoso CRM " + Thai, "AppSource-PLT|contoso.crm",
        description, Family, Hindi, email, phone, "IN", Hindi, Thai, false, "New", null);

    [Theory]
    [MemberData(nameof(PresetKeys))]
    public void Hindi_thai_and_emoji_values_fit_every_column_of_every_preset_in_utf16_units(string preset)
    {
        var definition = Presets.Get(preset)!.Definition;
        var mapping = Profiles.Compile(definition);
        var limits = definition.Columns.Select(c => c.Transforms.Where(t => t.Kind == TransformKind.Truncate).Min(t => t.Length)).ToArray();

        var row = mapping.Map(Lead("=HYPERLINK(\"http://x\",\"y\")" + new string('x', 40_000)));

        for (var i = 0; i < limits.Length; i++)
        {
            if (limits[i] is { } limit)
            {
                Assert.True(row.Values[i].Length <= limit, $"{preset} {mapping.Headers[i]}: {row.Values[i].Length} > {limit}");
            }

            Assert.False(SpreadsheetSafety.NeedsNeutralizing(row.Values[i]), $"{preset} {mapping.Headers[i]} is a live formula: {row.Values[i]}");
        }

        Assert.Empty(row.TooLong);
    }

    [Theory]
    [MemberData(nameof(PresetKeys))]
    public void An_email_address_is_never_cut_but_reported_when_it_is_longer_than_the_field(string preset)
    {
        var definition = Presets.Get(preset)!.Definition;
        var mapping = Profiles.Compile(definition);
        var emailLimit = definition.Columns.Single(c => c.Field == "Email").Transforms.Where(t => t.Kind == TransformKind.Truncate).Min(t => t.Length);

        var row = mapping.Map(Lead(email: LongEmail));

        Assert.Contains(LongEmail, row.Values);
        if (emailLimit is null)
        {
            Assert.True(row.IsComplete); // HubSpot documents no length for e-mail below an address's own 254
            return;
        }

        var problem = Assert.Single(row.TooLong);
        Assert.Contains("122 characters, the field takes", problem);
        Assert.False(row.IsComplete);
        Assert.Contains(problem, row.Problems);
    }

    [Theory]
    [MemberData(nameof(PresetKeys))]
    public void A_phone_number_with_an_extension_is_exported_as_it_is(string preset)
    {
        var mapping = Profiles.Compile(Presets.Get(preset)!.Definition);

        var row = mapping.Map(Lead());

        Assert.Contains("+1 425 555 0100 ext 12", row.Values);
    }

    [Theory]
    [InlineData("=1+1", 4, "'=1+")]
    [InlineData("=1+1", 5, "'=1+1")]
    [InlineData("-👨‍👩‍👧‍👦", 11, "'-")]
    [InlineData("+1 425 555 0100 x12", 5, "+1 425 555 0100 x12")]
    public void The_guard_quote_never_pushes_a_value_past_its_length(string value, int length, string expected)
    {
        var guarded = SpreadsheetSafety.Neutralize(value, length);

        Assert.Equal(expected, guarded);
        Assert.True(guarded.Length <= Math.Max(length, value.Length) && (guarded == value || guarded.Length <= length));
    }

    [Theory]
    [InlineData("+1 425 555 0100 ext 12")]
    [InlineData("+1 (425) 555-0100 x12")]
    [InlineData("425 555 0100 #12")]
    [InlineData("+46 8 555 0101 EXT. 7")]
    public void Phone_numbers_with_extensions_are_not_formulas(string phone) =>
        Assert.False(SpreadsheetSafety.NeedsNeutralizing(phone));

    [Fact]
    public void With_the_formula_guard_off_values_a_crm_stores_literally_are_left_as_they_are_and_control_characters_still_go()
    {
        var definition = Profiles.Of(Profiles.Field("Description", "Description"), Profiles.Field("Company", "Company"));
        definition.Settings.FormulaGuard = false;
        var mapping = Profiles.Compile(definition);
        var lead = Lead("- Need pricing for 50 seats\u0000") with { Company = "@Work" };

        var row = mapping.Map(lead);

        Assert.Equal(["- Need pricing for 50 seats", "@Work"], row.Values);
        definition.Settings.FormulaGuard = true;
        Assert.Equal(["'- Need pricing for 50 seats", "'@Work"], Profiles.Compile(definition).Map(lead).Values);
    }
}

public sealed class ColumnLimitTests
{
    [Fact]
    public void A_step_after_the_truncate_cannot_take_a_value_past_the_columns_length()
    {
        var column = Profiles.Field("Country", "Country", ColumnTransform.Of(TransformKind.Truncate, length: 4), ColumnTransform.Of(TransformKind.CountryToName));
        column.DefaultValue = "[not provided]";
        var mapping = Profiles.Compile(column);

        Assert.Equal("Swed", mapping.Map(SampleLeadRows.MarketplaceInstall).Values.Single());
        var empty = mapping.Map(SampleLeadRows.MarketplaceInstall with { Country = null });
        Assert.Equal("[not", empty.Values.Single());
        Assert.True(empty.IsComplete);
    }
}

public sealed class ValueMapTests
{
    private static readonly LeadRow Row = SampleLeadRows.MarketplaceInstall with { Status = "Contacted" };

    [Theory]
    [InlineData("New=Open; contacted = Working", "Working")]
    [InlineData("New=Open", "Contacted")]
    [InlineData("Contacted=", "")]
    public void Replace_values_maps_whole_values_ignoring_case_and_lets_others_through(string map, string expected) =>
        Assert.Equal(expected, Profiles.Value(Profiles.Field("Status", "Status", ColumnTransform.Of(TransformKind.MapValues, map: map)), Row));

    [Theory]
    [InlineData("", "needs at least one From=To pair")]
    [InlineData("New", "\"New\" is not From=To")]
    [InlineData("=Open", "\"=Open\" is not From=To")]
    [InlineData("New=Open; new=Other", "\"new\" is mapped twice")]
    public void A_bad_value_map_is_a_compile_error_that_says_why(string map, string expected) =>
        Assert.Contains(Profiles.Errors(Profiles.Field("Status", "Status", ColumnTransform.Of(TransformKind.MapValues, map: map))), e => e.Contains(expected));
}
