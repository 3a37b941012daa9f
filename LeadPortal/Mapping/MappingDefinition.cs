namespace LeadPortal.Mapping;

/// <summary>
/// An export profile as stored and edited: columns, file settings and row rules.
/// Plain mutable classes so System.Text.Json and a UI editor can use them directly;
/// <see cref="MappingEngine.Compile"/> validates it.
/// </summary>
public sealed class MappingDefinition
{
    public List<MappingColumn> Columns { get; set; } = [];

    public FileSettings Settings { get; set; } = new();

    /// <summary>
    /// Headers of which at least one must have a value on each row, for CRMs such as HubSpot that need an
    /// email or a name but not any particular one.
    /// </summary>
    public List<string> RequireAnyOf { get; set; } = [];

    // Tolerates the nulls a hand-edited JSON profile can contain, so that Compile gets to report them.
    public MappingDefinition Clone() => new()
    {
        Columns = [.. (Columns ?? []).Select(c => c?.Clone()!)],
        Settings = Settings?.Clone() ?? new FileSettings(),
        RequireAnyOf = [.. RequireAnyOf ?? []],
    };
}
