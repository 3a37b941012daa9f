using System.Text.Json.Serialization;

namespace LeadPortal.Mapping;

/// <summary>A step applied to a column's value, in the order the column lists them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TransformKind>))]
public enum TransformKind
{
    Trim,
    Upper,
    Lower,

    /// <summary>Capitalises each word (invariant culture) after lower-casing the text.</summary>
    TitleCase,

    /// <summary>Keeps at most <see cref="ColumnTransform.Length"/> UTF-16 units, cut back to a whole grapheme.</summary>
    Truncate,

    /// <summary>English name, ISO-2 or ISO-3 code to the ISO-2 code; unknown values pass through.</summary>
    CountryToIso2,

    /// <summary>ISO-2, ISO-3 code or name to the English short name; unknown values pass through.</summary>
    CountryToName,

    /// <summary>Keeps digits and a leading '+'.</summary>
    DigitsOnlyPhone,

    /// <summary>Re-renders a date field with <see cref="ColumnTransform.Format"/> in the profile's time zone.</summary>
    DateFormat,

    /// <summary>
    /// Replaces whole values by <see cref="ColumnTransform.Map"/> ("New=Open - Not Contacted; Contacted=Working - Contacted"),
    /// ignoring case; a value the map does not name passes through.
    /// </summary>
    MapValues,
}
