namespace LeadPortal.Mapping;

/// <summary>A built-in export profile for a CRM's import wizard.</summary>
/// <param name="Key">A stable id, such as <c>dynamics365-lead</c>.</param>
public sealed record Preset(string Key, string Name, string Description, MappingDefinition Definition);
