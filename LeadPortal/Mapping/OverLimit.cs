using System.Text.Json.Serialization;

namespace LeadPortal.Mapping;

/// <summary>What an export that does not fit one file within the profile's limits becomes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OverLimit>))]
public enum OverLimit
{
    /// <summary>A ZIP of numbered CSV files, each within the limits and each with the header row.</summary>
    Split,

    /// <summary>Nothing: the export is refused with a message that names the limit.</summary>
    Refuse,
}
