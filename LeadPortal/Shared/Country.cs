namespace LeadPortal.Shared;

/// <summary>An ISO 3166-1 entry.</summary>
/// <param name="Name">The English short name in everyday use, such as "United States".</param>
/// <param name="Aliases">Other names read as this country, such as the ISO formal name.</param>
public sealed record Country(string Alpha2, string Alpha3, string Name, IReadOnlyList<string> Aliases);
