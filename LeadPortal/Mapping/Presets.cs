using System.Text.Json;

namespace LeadPortal.Mapping;

/// <summary>
/// The built-in profiles, shipped as embedded JSON in Mapping/Presets. Every call returns fresh copies,
/// because callers (an editor) may change the definition they get.
/// </summary>
public static class Presets
{
    public const string Dynamics365Lead = "dynamics365-lead";
    public const string SalesforceLead = "salesforce-lead";
    public const string SalesforceLeadDataLoader = "salesforce-lead-dataloader";
    public const string HubSpotContacts = "hubspot-contacts";

    private const string ResourcePrefix = "LeadPortal.Mapping.Presets.";

    private static readonly Lazy<Preset[]> Loaded = new(Load);

    public static IReadOnlyList<Preset> All => [.. Loaded.Value.Select(Copy)];

    /// <summary>The preset with this key (ignoring case), or null.</summary>
    public static Preset? Get(string key)
    {
        var preset = Loaded.Value.FirstOrDefault(p => string.Equals(p.Key, key?.Trim(), StringComparison.OrdinalIgnoreCase));
        return preset is null ? null : Copy(preset);
    }

    private static Preset Copy(Preset preset) => preset with { Definition = preset.Definition.Clone() };

    private static Preset[] Load()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var assembly = typeof(Presets).Assembly;
        var presets = new List<Preset>();
        // Fixed order, so pickers list them the same way every time.
        foreach (var name in assembly.GetManifestResourceNames().Where(IsPreset).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Preset resource {name} could not be opened.");
            var preset = JsonSerializer.Deserialize<Preset>(stream, options)
                ?? throw new InvalidOperationException($"Preset resource {name} is empty.");
            presets.Add(preset);
        }

        return [.. presets];
    }

    private static bool IsPreset(string resourceName) =>
        resourceName.StartsWith(ResourcePrefix, StringComparison.Ordinal)
        && resourceName.EndsWith(".json", StringComparison.Ordinal);
}
