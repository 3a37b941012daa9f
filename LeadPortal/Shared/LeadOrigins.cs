using LeadPortal.Data;

namespace LeadPortal.Shared;

/// <summary>How a lead's origin reads in the grid, on the lead page, in filters and in exported files.</summary>
public static class LeadOrigins
{
    public static string Label(LeadOrigin origin) => origin switch
    {
        LeadOrigin.Webhook => "Endpoint",
        LeadOrigin.Table => "Azure Table",
        LeadOrigin.Import => "Import",
        _ => origin.ToString(),
    };

    /// <summary>The origin with where it came from: "Azure Table: Marketplace", "Import: leads.csv", "Endpoint".</summary>
    public static string Describe(LeadOrigin origin, string? name) =>
        string.IsNullOrWhiteSpace(name) ? Label(origin) : $"{Label(origin)}: {name}";
}
