namespace LeadPortal.Mapping;

/// <summary>A validated column: where its raw value comes from and the steps that turn it into the final one.</summary>
internal sealed class CompiledColumn(
    string header,
    Func<LeadRow, string?> source,
    Func<string, LeadRow, string>[] steps,
    string? defaultValue,
    bool required,
    int? maxLength,
    bool keepWhole)
{
    public string Header { get; } = header;

    public bool Required { get; } = required;

    /// <summary>The CRM field's length in UTF-16 units (the column's Truncate), which no final value may exceed.</summary>
    public int? MaxLength { get; } = maxLength;

    /// <summary>Whether a value over <see cref="MaxLength"/> is kept whole and reported instead of cut (e-mail addresses).</summary>
    public bool KeepWhole { get; } = keepWhole;

    public string Evaluate(LeadRow row)
    {
        var value = source(row) ?? "";
        foreach (var step in steps)
        {
            value = step(value, row);
        }

        return IsEmpty(value) && defaultValue is not null ? defaultValue : value;
    }

    // Whitespace counts as empty: an import wizard trims it and then finds nothing.
    public static bool IsEmpty(string value) => string.IsNullOrWhiteSpace(value);
}
