namespace LeadPortal.Mapping;

/// <summary>One lead as export values, with what a CRM import would reject it for.</summary>
/// <param name="values">One value per column, never null.</param>
/// <param name="missingRequired">
/// Headers of required columns whose value is empty, then one message such as
/// "one of email, firstname, lastname" when none of the <see cref="MappingDefinition.RequireAnyOf"/> columns has a value.
/// </param>
/// <param name="tooLong">"email: 83 characters, the field takes 80" for each value kept whole over its column's length.</param>
public sealed class MappedRow(string[] values, IReadOnlyList<string> missingRequired, IReadOnlyList<string> tooLong)
{
    public string[] Values { get; } = values;

    public IReadOnlyList<string> MissingRequired { get; } = missingRequired;

    public IReadOnlyList<string> TooLong { get; } = tooLong;

    /// <summary>Everything a CRM import would reject the row for, in words for the preview.</summary>
    public IReadOnlyList<string> Problems => TooLong.Count == 0 ? MissingRequired : [.. MissingRequired, .. TooLong];

    public bool IsComplete => MissingRequired.Count == 0 && TooLong.Count == 0;
}
