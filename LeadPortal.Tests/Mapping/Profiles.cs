using LeadPortal.Mapping;

namespace LeadPortal.Tests.Mapping;

/// <summary>Short ways to build profile definitions in tests.</summary>
internal static class Profiles
{
    public static MappingColumn Field(string header, string field, params ColumnTransform[] transforms) =>
        new() { Header = header, Kind = ColumnValueKind.Field, Field = field, Transforms = [.. transforms] };

    public static MappingColumn Constant(string header, string? text, params ColumnTransform[] transforms) =>
        new() { Header = header, Kind = ColumnValueKind.Constant, Constant = text, Transforms = [.. transforms] };

    public static MappingColumn Template(string header, string template, params ColumnTransform[] transforms) =>
        new() { Header = header, Kind = ColumnValueKind.Template, Template = template, Transforms = [.. transforms] };

    public static MappingDefinition Of(params MappingColumn[] columns) => new() { Columns = [.. columns] };

    public static CompiledMapping Compile(MappingDefinition definition)
    {
        var result = MappingEngine.Compile(definition);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Mapping;
    }

    public static CompiledMapping Compile(params MappingColumn[] columns) => Compile(Of(columns));

    public static IReadOnlyList<string> Errors(MappingDefinition definition)
    {
        var result = MappingEngine.Compile(definition);
        Assert.False(result.Succeeded);
        Assert.Null(result.Mapping);
        return result.Errors;
    }

    public static IReadOnlyList<string> Errors(params MappingColumn[] columns) => Errors(Of(columns));

    /// <summary>The single value a one-column mapping gives the row.</summary>
    public static string Value(MappingColumn column, LeadRow row) => Compile(column).Map(row).Values.Single();
}
