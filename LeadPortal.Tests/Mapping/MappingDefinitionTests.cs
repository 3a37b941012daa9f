using System.Text.Json;
using LeadPortal.Mapping;
using static LeadPortal.Tests.Mapping.Profiles;

namespace LeadPortal.Tests.Mapping;

public sealed class MappingDefinitionTests
{
    private static MappingDefinition Sample()
    {
        var last = Field("Last Name", "LastName", ColumnTransform.Of(TransformKind.Trim), ColumnTransform.Of(TransformKind.Truncate, 50));
        last.DefaultValue = "[not provided]";
        last.Required = true;
        var definition = Of(
            last,
            Template("Topic", "{OfferTitle} – {ActionLabel}"),
            Constant("Source", "Microsoft Marketplace"),
            Field("Day", "ReceivedAt", ColumnTransform.Of(TransformKind.DateFormat, format: "yyyy-MM-dd")));
        definition.Settings = new FileSettings
        {
            Delimiter = CsvDelimiter.Semicolon,
            Utf8Bom = true,
            DateFormat = "dd.MM.yyyy",
            TimeZone = "Europe/Stockholm",
            IncludeTestLeads = true,
            IncludeDoNotContact = true,
        };
        definition.RequireAnyOf = ["Last Name"];
        return definition;
    }

    [Fact]
    public void New_settings_have_the_documented_defaults()
    {
        var settings = new FileSettings();

        Assert.Equal(CsvDelimiter.Comma, settings.Delimiter);
        Assert.False(settings.Utf8Bom);
        Assert.Equal("yyyy-MM-dd HH:mm", settings.DateFormat);
        Assert.Equal("UTC", settings.TimeZone);
        Assert.False(settings.IncludeTestLeads);
        Assert.False(settings.IncludeDoNotContact);
    }

    [Fact]
    public void Clone_copies_everything_deeply()
    {
        var original = Sample();

        var copy = original.Clone();

        Assert.Equal(JsonSerializer.Serialize(original), JsonSerializer.Serialize(copy));
        Assert.NotSame(original.Columns, copy.Columns);
        Assert.NotSame(original.Columns[0], copy.Columns[0]);
        Assert.NotSame(original.Columns[0].Transforms, copy.Columns[0].Transforms);
        Assert.NotSame(original.Columns[0].Transforms[0], copy.Columns[0].Transforms[0]);
        Assert.NotSame(original.Settings, copy.Settings);
        Assert.NotSame(original.RequireAnyOf, copy.RequireAnyOf);
    }

    [Fact]
    public void Changing_a_clone_leaves_the_original_alone()
    {
        var original = Sample();
        var before = JsonSerializer.Serialize(original);

        var copy = original.Clone();
        copy.Columns[0].Transforms[1].Length = 5;
        copy.Columns[0].Header = "changed";
        copy.Columns.RemoveAt(1);
        copy.Settings.TimeZone = "UTC";
        copy.RequireAnyOf.Add("Topic");

        Assert.Equal(before, JsonSerializer.Serialize(original));
    }

    [Fact]
    public void A_definition_survives_a_json_round_trip_with_enums_as_names()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var json = JsonSerializer.Serialize(Sample(), options);

        var back = JsonSerializer.Deserialize<MappingDefinition>(json, options)!;

        Assert.Contains("\"kind\":\"Template\"", json);
        Assert.Contains("\"kind\":\"DateFormat\"", json);
        Assert.Contains("\"delimiter\":\"Semicolon\"", json);
        Assert.Equal(json, JsonSerializer.Serialize(back, options));
        Assert.True(MappingEngine.Compile(back).Succeeded);
    }

    [Fact]
    public void Nulls_in_a_hand_edited_profile_are_reported_rather_than_thrown()
    {
        const string json = """{ "columns": [ null, { "header": "A", "kind": "Field", "field": "Email", "transforms": null }, { "header": "B", "kind": "Constant", "transforms": [ null ] } ], "settings": null, "requireAnyOf": null }""";
        var definition = JsonSerializer.Deserialize<MappingDefinition>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        var copy = definition.Clone();

        Assert.Equal(3, copy.Columns.Count);
        Assert.Equal(
            ["Column 1: missing", "Column 3 (\"B\"): transform 1 is missing"],
            MappingEngine.Compile(copy).Errors);
        Assert.Equal(MappingEngine.Compile(definition).Errors, MappingEngine.Compile(copy).Errors);
    }
}
