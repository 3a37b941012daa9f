using System.Text.Json.Serialization;

namespace LeadPortal.Mapping;

/// <summary>Where a column's raw value comes from.</summary>
// Stored as names so saved profiles and preset files stay readable and survive reordering.
[JsonConverter(typeof(JsonStringEnumConverter<ColumnValueKind>))]
public enum ColumnValueKind
{
    /// <summary>One lead field, by name (see <see cref="LeadFields"/>).</summary>
    Field,

    /// <summary>The same text on every row.</summary>
    Constant,

    /// <summary>Text with <c>{Field}</c> placeholders; <c>{{</c> and <c>}}</c> are literal braces.</summary>
    Template,
}
