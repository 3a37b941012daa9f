namespace LeadPortal.Mapping;

/// <summary>One transform step of a column. Mutable so a profile editor can bind to it.</summary>
public sealed class ColumnTransform
{
    public TransformKind Kind { get; set; }

    /// <summary>The maximum length of <see cref="TransformKind.Truncate"/>, in UTF-16 units (as the CRMs count).</summary>
    public int? Length { get; set; }

    /// <summary>The .NET date format of <see cref="TransformKind.DateFormat"/>, such as <c>yyyy-MM-dd</c>.</summary>
    public string? Format { get; set; }

    /// <summary>The pairs of <see cref="TransformKind.MapValues"/>: <c>From=To</c>, separated by semicolons.</summary>
    public string? Map { get; set; }

    public static ColumnTransform Of(TransformKind kind, int? length = null, string? format = null, string? map = null) =>
        new() { Kind = kind, Length = length, Format = format, Map = map };

    public ColumnTransform Clone() => new() { Kind = Kind, Length = Length, Format = Format, Map = Map };
}
