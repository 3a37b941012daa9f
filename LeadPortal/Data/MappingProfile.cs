namespace LeadPortal.Data;

/// <summary>How leads land on a CRM's import columns: a <c>MappingDefinition</c> stored as JSON.</summary>
public sealed class MappingProfile
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string DefinitionJson { get; set; } = "{}";

    /// <summary>The built-in preset it was copied from, if any.</summary>
    public string? PresetKey { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}
