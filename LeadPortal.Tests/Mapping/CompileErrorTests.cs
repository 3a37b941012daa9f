using LeadPortal.Mapping;
using static LeadPortal.Tests.Mapping.Profiles;

namespace LeadPortal.Tests.Mapping;

public sealed class CompileErrorTests
{
    [Fact]
    public void A_valid_profile_compiles_without_errors()
    {
        var result = MappingEngine.Compile(Of(Field("Email", "Email")));

        Assert.True(result.Succeeded);
        Assert.Empty(result.Errors);
        Assert.Equal(["Email"], result.Mapping.Headers);
    }

    [Fact]
    public void A_profile_without_columns_is_reported() =>
        Assert.Equal(["The mapping has no columns"], Errors(new MappingDefinition()));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_header_is_reported_by_column_number(string header) =>
        Assert.Equal(["Column 2: header is empty"], Errors(Field("A", "Email"), Field(header, "Phone")));

    [Fact]
    public void A_duplicate_header_is_reported_ignoring_case_and_spaces() =>
        Assert.Equal(
            ["Column 3 (\"email\"): duplicate header, same as column 1"],
            Errors(Field("Email", "Email"), Field("Phone", "Phone"), Field(" email ", "Email")));

    [Theory]
    [InlineData("=cmd")]
    [InlineData("@Name")]
    [InlineData("-Phone")]
    public void A_header_a_spreadsheet_would_run_as_a_formula_is_reported(string header) =>
        Assert.Equal(
            [$"Column 1 (\"{header}\"): header starts with a character a spreadsheet reads as a formula (=, +, -, @, tab or CR)"],
            Errors(Field(header, "Email")));

    [Theory]
    [InlineData("\u0000=cmd")]
    [InlineData("E\u0001mail")]
    public void A_header_with_a_control_character_is_reported(string header) =>
        Assert.Equal([$"Column 1 (\"{header}\"): header contains a control character"], Errors(Field(header, "Email")));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void A_field_column_without_a_field_is_reported(string? field) =>
        Assert.Equal(["Column 1 (\"A\"): no field chosen"], Errors(new MappingColumn { Header = "A", Kind = ColumnValueKind.Field, Field = field }));

    [Fact]
    public void A_field_column_with_an_unknown_field_is_reported() =>
        Assert.Equal(["Column 1 (\"A\"): unknown field \"OfferName\""], Errors(Field("A", "OfferName")));

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-3)]
    public void Truncate_without_a_positive_length_is_reported(int? length) =>
        Assert.Equal(
            ["Column 1 (\"A\"): transform 2 (Truncate) needs a positive length"],
            Errors(Field("A", "Email", ColumnTransform.Of(TransformKind.Trim), ColumnTransform.Of(TransformKind.Truncate, length))));

    [Fact]
    public void DateFormat_on_a_field_that_is_not_a_date_is_reported() =>
        Assert.Equal(
            ["Column 1 (\"A\"): transform 1 (DateFormat) only applies to a date field (ReceivedAt)"],
            Errors(Field("A", "Email", ColumnTransform.Of(TransformKind.DateFormat, format: "yyyy"))));

    [Fact]
    public void DateFormat_on_a_template_is_reported() =>
        Assert.Equal(
            ["Column 1 (\"A\"): transform 1 (DateFormat) only applies to a date field (ReceivedAt)"],
            Errors(Template("A", "{ReceivedAt}", ColumnTransform.Of(TransformKind.DateFormat, format: "yyyy"))));

    [Theory]
    [InlineData(null, "date format is empty")]
    [InlineData("Q", "bad date format \"Q\"")]
    [InlineData("abc", "bad date format \"abc\" (it shows no part of the date or time)")]
    public void DateFormat_with_a_bad_format_is_reported(string? format, string problem) =>
        Assert.Equal(
            [$"Column 1 (\"A\"): transform 1 (DateFormat): {problem}"],
            Errors(Field("A", "ReceivedAt", ColumnTransform.Of(TransformKind.DateFormat, format: format))));

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("Central European Time")]
    public void An_unknown_time_zone_is_reported(string zone)
    {
        var definition = Of(Field("A", "Email"));
        definition.Settings.TimeZone = zone;

        Assert.Equal([$"Settings: unknown time zone \"{zone}\" (use an IANA id such as Europe/Stockholm)"], Errors(definition));
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Europe/Stockholm")]
    [InlineData("America/Argentina/Buenos_Aires")]
    [InlineData("Etc/GMT+1")]
    public void IANA_time_zones_are_accepted(string zone)
    {
        var definition = Of(Field("A", "Email"));
        definition.Settings.TimeZone = zone;

        Assert.True(MappingEngine.Compile(definition).Succeeded);
    }

    [Theory]
    [InlineData("", "date format is empty")]
    [InlineData("Q", "bad date format \"Q\"")]
    [InlineData("'unclosed", "bad date format \"'unclosed\"")]
    public void A_bad_profile_date_format_is_reported(string format, string problem)
    {
        var definition = Of(Field("A", "Email"));
        definition.Settings.DateFormat = format;

        Assert.Equal([$"Settings: {problem}"], Errors(definition));
    }

    [Fact]
    public void Unknown_enum_values_from_a_stored_profile_are_reported()
    {
        var definition = Of(
            new MappingColumn { Header = "A", Kind = (ColumnValueKind)42 },
            Field("B", "Email", ColumnTransform.Of((TransformKind)77)));
        definition.Settings.Delimiter = (CsvDelimiter)9;

        Assert.Equal(
            [
                "Settings: unknown delimiter 9",
                "Column 1 (\"A\"): unknown value kind 42",
                "Column 2 (\"B\"): unknown transform kind 77",
            ],
            Errors(definition));
    }

    [Fact]
    public void RequireAnyOf_naming_a_header_that_does_not_exist_is_reported()
    {
        var definition = Of(Field("email", "Email"));
        definition.RequireAnyOf = ["email", "fullname", " "];

        Assert.Equal(
            ["Require one of: no column has the header \"fullname\"", "Require one of: an entry is empty"],
            Errors(definition));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var definition = Of(
            Field("", "Email"),
            Template("Topic", "{OfferName}"),
            Field("Email", "Email", ColumnTransform.Of(TransformKind.Truncate)));
        definition.Settings.TimeZone = "Nowhere/Town";

        Assert.Equal(
            [
                "Settings: unknown time zone \"Nowhere/Town\" (use an IANA id such as Europe/Stockholm)",
                "Column 1: header is empty",
                "Column 2 (\"Topic\"): unknown field {OfferName} in template",
                "Column 3 (\"Email\"): transform 1 (Truncate) needs a positive length",
            ],
            Errors(definition));
    }

    [Fact]
    public void A_column_can_have_several_problems() =>
        Assert.Equal(
            [
                "Column 2 (\"A\"): duplicate header, same as column 1",
                "Column 2 (\"A\"): unknown field \"Nope\"",
                "Column 2 (\"A\"): transform 1 (Truncate) needs a positive length",
            ],
            Errors(Field("A", "Email"), Field("A", "Nope", ColumnTransform.Of(TransformKind.Truncate, 0))));
}
