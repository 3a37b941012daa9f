namespace LeadPortal.Mapping;

/// <summary>One column of an export profile. Mutable so a profile editor can bind to it.</summary>
public sealed class MappingColumn
{
    /// <summary>The header text; CRM import wizards match columns to fields by it.</summary>
    public string Header { get; set; } = "";

    public ColumnValueKind Kind { get; set; }

    /// <summary>The lead field name when <see cref="Kind"/> is <see cref="ColumnValueKind.Field"/>.</summary>
    public string? Field { get; set; }

    /// <summary>The text when <see cref="Kind"/> is <see cref="ColumnValueKind.Constant"/>.</summary>
    public string? Constant { get; set; }

    /// <summary>The template when <see cref="Kind"/> is <see cref="ColumnValueKind.Template"/>.</summary>
    public string? Template { get; set; }

    public List<ColumnTransform> Transforms { get; set; } = [];

    /// <summary>Used when the value is empty after the transforms.</summary>
    public string? DefaultValue { get; set; }

    /// <summary>Whether a row whose final value is empty is reported in <see cref="MappedRow.MissingRequired"/>.</summary>
    public bool Required { get; set; }

    public MappingColumn Clone() => new()
    {
        Header = Header,
        Kind = Kind,
        Field = Field,
        Constant = Constant,
        Template = Template,
        Transforms = [.. (Transforms ?? []).Select(t => t?.Clone()!)],
        DefaultValue = DefaultValue,
        Required = Required,
    };
}
