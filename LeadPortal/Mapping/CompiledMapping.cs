namespace LeadPortal.Mapping;

/// <summary>A validated export profile, ready to map lead rows. Immutable; safe to share between exports.</summary>
public sealed class CompiledMapping
{
    private readonly string[] _headers;
    private readonly CompiledColumn[] _columns;
    private readonly int[] _anyOf;
    private readonly string? _anyOfMessage;

    internal CompiledMapping(CompiledColumn[] columns, int[] anyOf, FileSettings settings, DateRendering dates, bool readsNotes)
    {
        ReadsNotes = readsNotes;
        _columns = columns;
        _headers = [.. columns.Select(c => c.Header)];
        _anyOf = anyOf;
        _anyOfMessage = anyOf.Length == 0
            ? null
            : "one of " + string.Join(", ", anyOf.Select(i => _headers[i]));
        Delimiter = settings.Delimiter;
        Utf8Bom = settings.Utf8Bom;
        IncludeTestLeads = settings.IncludeTestLeads;
        IncludeDoNotContact = settings.IncludeDoNotContact;
        FormulaGuard = settings.FormulaGuard;
        MaxRowsPerFile = settings.MaxRowsPerFile;
        MaxBytesPerFile = settings.MaxBytesPerFile;
        OverLimit = settings.OverLimit;
        Dates = dates;
    }

    /// <summary>The header row, one per column (a copy).</summary>
    public string[] Headers => [.. _headers];

    public CsvDelimiter Delimiter { get; }

    public bool Utf8Bom { get; }

    public bool IncludeTestLeads { get; }

    public bool IncludeDoNotContact { get; }

    public bool FormulaGuard { get; }

    public int? MaxRowsPerFile { get; }

    public long? MaxBytesPerFile { get; }

    public OverLimit OverLimit { get; }

    /// <summary>Whether a column uses the lead's notes, which cost a look-up per lead to read.</summary>
    public bool ReadsNotes { get; }

    public bool HasFileLimits => MaxRowsPerFile is not null || MaxBytesPerFile is not null;

    /// <summary>The profile's date format and time zone.</summary>
    public DateRendering Dates { get; }

    /// <summary>Whether the profile exports this lead at all: test and do-not-contact leads only when it says so.</summary>
    public bool Includes(LeadRow row) =>
        (IncludeTestLeads || !row.IsTest) && (IncludeDoNotContact || !row.IsDoNotContact);

    /// <summary>
    /// The row's final cell values, exactly as the file holds them: control characters removed, a formula guarded when
    /// the profile says so, and no value longer than its column's length — except one kept whole (an e-mail address),
    /// which is reported in <see cref="MappedRow.TooLong"/> instead.
    /// </summary>
    public MappedRow Map(LeadRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var values = new string[_columns.Length];
        List<string>? missing = null;
        List<string>? tooLong = null;
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            var value = column.Evaluate(row);
            values[i] = FormulaGuard
                ? SpreadsheetSafety.Neutralize(value, column.KeepWhole ? null : column.MaxLength)
                : SpreadsheetSafety.WithoutControlCharacters(value);
            if (!column.KeepWhole && column.MaxLength is { } limit && values[i].Length > limit)
            {
                // A step after the Truncate (or a default value) made it longer again: the limit is the CRM's, so it holds.
                values[i] = TextTransforms.Truncate(values[i], limit);
            }

            if (column.Required && CompiledColumn.IsEmpty(values[i]))
            {
                (missing ??= []).Add(_headers[i]);
            }

            if (column.MaxLength is { } max && values[i].Length > max)
            {
                (tooLong ??= []).Add($"{_headers[i]}: {values[i].Length} characters, the field takes {max}");
            }
        }

        if (_anyOfMessage is not null && _anyOf.All(i => CompiledColumn.IsEmpty(values[i])))
        {
            (missing ??= []).Add(_anyOfMessage);
        }

        return new MappedRow(values, missing ?? (IReadOnlyList<string>)[], tooLong ?? (IReadOnlyList<string>)[]);
    }
}
