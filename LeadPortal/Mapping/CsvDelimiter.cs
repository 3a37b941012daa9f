using System.Text.Json.Serialization;

namespace LeadPortal.Mapping;

/// <summary>The field separator of an export file.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CsvDelimiter>))]
public enum CsvDelimiter
{
    Comma,

    /// <summary>What Excel expects in locales whose decimal separator is a comma.</summary>
    Semicolon,

    Tab,
}
