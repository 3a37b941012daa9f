namespace LeadPortal.Mapping;

/// <summary>One lead as export values, with what a CRM import would reject it for.</summary>
/// <param name="values">One value per column, never null.</param>
/// <param name="missingRequired">
/// Headers of required columns whose value is empty, then one message such as
/// "one of email, firstname, lastname" when none of the <see cref="MappingDefinition.RequireAnyOf"/> columns has a value.
/// </param>
public sealed class MappedRow(string[] values, IReadOnlyList<string> missingRequired)
{
    public string[] Values { get; } = values;

    public IReadOnlyList<string> MissingRequired { get; } = missingRequired;

    public bool IsComplete => MissingRequired.Count == 0;
}
