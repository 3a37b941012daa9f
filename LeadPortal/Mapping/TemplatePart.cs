namespace LeadPortal.Mapping;

/// <summary>A piece of a compiled template: literal text, or a field to read.</summary>
internal sealed record TemplatePart(string? Literal, LeadField? Field);
