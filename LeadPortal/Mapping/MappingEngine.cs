using System.Globalization;
using System.Text.RegularExpressions;

namespace LeadPortal.Mapping;

/// <summary>Validates export profiles and turns them into <see cref="CompiledMapping"/>s. Pure: no I/O, no state.</summary>
public static partial class MappingEngine
{
    // Two instants that differ in every part, so a format that renders both the same shows nothing of a date.
    private static readonly DateTime SampleA = new(2001, 2, 3, 4, 5, 6, 7, DateTimeKind.Utc);
    private static readonly DateTime SampleB = new(2012, 11, 24, 16, 37, 48, 890, DateTimeKind.Utc);

    public static MappingCompileResult Compile(MappingDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<string>();

        // A copy, so that later edits to the definition (it is bound to an editor) cannot change the compiled mapping.
        var settings = definition.Settings?.Clone() ?? new FileSettings();
        var zone = FindTimeZone(settings.TimeZone, errors);
        if (DateFormatProblem(settings.DateFormat) is { } formatProblem)
        {
            errors.Add($"Settings: {formatProblem}");
        }

        if (settings.MaxRowsPerFile is <= 0)
        {
            errors.Add("Settings: the most rows per file must be a positive number (or empty for no limit)");
        }

        // A file must hold at least its header and a row of a few hundred bytes.
        if (settings.MaxBytesPerFile is < 1024)
        {
            errors.Add("Settings: the largest file must be at least 1024 bytes (or empty for no limit)");
        }

        if (!Enum.IsDefined(settings.OverLimit))
        {
            errors.Add($"Settings: unknown over-limit choice {(int)settings.OverLimit}");
        }

        if (!Enum.IsDefined(settings.Delimiter))
        {
            errors.Add($"Settings: unknown delimiter {(int)settings.Delimiter}");
        }

        var dates = new DateRendering(settings.DateFormat ?? "", zone ?? TimeZoneInfo.Utc);

        var columns = definition.Columns ?? [];
        if (columns.Count == 0)
        {
            errors.Add("The mapping has no columns");
        }

        var compiled = new List<CompiledColumn>();
        var columnByHeader = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Count; i++)
        {
            var number = i + 1;
            var column = columns[i];
            if (column is null)
            {
                errors.Add($"Column {number}: missing");
                continue;
            }

            var header = column.Header?.Trim() ?? "";
            var problems = new List<string>();
            CheckHeader(header, number, columnByHeader, problems);
            var (source, dateField) = CompileSource(column, dates, problems);
            // An e-mail address cut short is a wrong address: a column of the Email field keeps it whole and reports
            // a value over the column's length instead (the row cannot be imported as it is).
            var keepWhole = column.Kind == ColumnValueKind.Field && string.Equals(column.Field?.Trim(), "Email", StringComparison.OrdinalIgnoreCase);
            var steps = CompileTransforms(column.Transforms ?? [], dateField, dates, keepWhole, problems);
            var maxLength = (column.Transforms ?? []).Where(t => t is { Kind: TransformKind.Truncate, Length: > 0 }).Min(t => t!.Length);

            var where = header.Length == 0 ? $"Column {number}" : $"Column {number} (\"{header}\")";
            errors.AddRange(problems.Select(p => $"{where}: {p}"));
            if (problems.Count == 0 && source is not null)
            {
                compiled.Add(new CompiledColumn(header, source, steps, column.DefaultValue, column.Required, maxLength, keepWhole));
            }
        }

        var anyOf = CompileRequireAnyOf(definition.RequireAnyOf ?? [], columnByHeader, errors);

        return errors.Count > 0
            ? MappingCompileResult.Failure(errors)
            : MappingCompileResult.Success(new CompiledMapping([.. compiled], anyOf, settings, dates, ReadsNotes(columns)));
    }

    private static bool ReadsNotes(List<MappingColumn> columns) => columns.Any(c => c is not null
        && ((c.Kind == ColumnValueKind.Field && string.Equals(c.Field?.Trim(), LeadFields.NotesField, StringComparison.OrdinalIgnoreCase))
            || (c.Kind == ColumnValueKind.Template && (c.Template ?? "").Contains("{" + LeadFields.NotesField, StringComparison.OrdinalIgnoreCase))));

    private static void CheckHeader(string header, int number, Dictionary<string, int> columnByHeader, List<string> problems)
    {
        if (header.Length == 0)
        {
            problems.Add("header is empty");
            return;
        }

        // Import wizards match headers to CRM fields without regard to case, so "Email" and "email" collide.
        if (!columnByHeader.TryAdd(header, number))
        {
            problems.Add($"duplicate header, same as column {columnByHeader[header]}");
        }

        // Headers are written as they are, so they must not be formulas themselves, nor hide one behind a NUL.
        if (SpreadsheetSafety.HasControlCharacters(header))
        {
            problems.Add("header contains a control character");
        }
        else if (SpreadsheetSafety.NeedsNeutralizing(header))
        {
            problems.Add("header starts with a character a spreadsheet reads as a formula (=, +, -, @, tab or CR)");
        }
    }

    private static (Func<LeadRow, string?>? Source, LeadField? DateField) CompileSource(
        MappingColumn column, DateRendering dates, List<string> problems)
    {
        switch (column.Kind)
        {
            case ColumnValueKind.Field:
                if (string.IsNullOrWhiteSpace(column.Field))
                {
                    problems.Add("no field chosen");
                    return default;
                }

                if (!LeadFields.TryGet(column.Field, out var field))
                {
                    problems.Add($"unknown field \"{column.Field.Trim()}\"");
                    return default;
                }

                return (row => field.Read(row, dates), field.IsDate ? field : null);

            case ColumnValueKind.Constant:
                var text = column.Constant ?? "";
                return (_ => text, null);

            case ColumnValueKind.Template:
                if (string.IsNullOrEmpty(column.Template))
                {
                    problems.Add("template is empty");
                    return default;
                }

                var template = CompiledTemplate.Parse(column.Template, out var error);
                if (template is null)
                {
                    problems.Add(error!);
                    return default;
                }

                return (row => template.Render(row, dates), null);

            default:
                problems.Add($"unknown value kind {(int)column.Kind}");
                return default;
        }
    }

    /// <summary>"From=To; From=To" as a case-insensitive map, or null with what is wrong.</summary>
    private static Dictionary<string, string>? ParseValueMap(string? text, out string problem)
    {
        problem = "";
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                problem = $"\"{pair}\" is not From=To";
                return null;
            }

            var from = pair[..equals].Trim();
            if (!map.TryAdd(from, pair[(equals + 1)..].Trim()))
            {
                problem = $"\"{from}\" is mapped twice";
                return null;
            }
        }

        if (map.Count == 0)
        {
            problem = "needs at least one From=To pair, separated by semicolons";
            return null;
        }

        return map;
    }

    private static Func<string, LeadRow, string>[] CompileTransforms(
        List<ColumnTransform> transforms, LeadField? dateField, DateRendering dates, bool keepWhole, List<string> problems)
    {
        var steps = new List<Func<string, LeadRow, string>>();
        for (var j = 0; j < transforms.Count; j++)
        {
            var transform = transforms[j];
            if (transform is null)
            {
                problems.Add($"transform {j + 1} is missing");
                continue;
            }

            var name = $"transform {j + 1} ({transform.Kind})";
            switch (transform.Kind)
            {
                case TransformKind.Trim:
                    steps.Add((value, _) => TextTransforms.Trim(value));
                    break;
                case TransformKind.Upper:
                    steps.Add((value, _) => TextTransforms.Upper(value));
                    break;
                case TransformKind.Lower:
                    steps.Add((value, _) => TextTransforms.Lower(value));
                    break;
                case TransformKind.TitleCase:
                    steps.Add((value, _) => TextTransforms.TitleCase(value));
                    break;
                case TransformKind.Truncate when transform.Length is > 0:
                    var length = transform.Length.Value;
                    if (!keepWhole)
                    {
                        steps.Add((value, _) => TextTransforms.Truncate(value, length));
                    }

                    break;
                case TransformKind.Truncate:
                    problems.Add($"{name} needs a positive length");
                    break;
                case TransformKind.CountryToIso2:
                    steps.Add((value, _) => TextTransforms.CountryToIso2(value));
                    break;
                case TransformKind.CountryToName:
                    steps.Add((value, _) => TextTransforms.CountryToName(value));
                    break;
                case TransformKind.DigitsOnlyPhone:
                    steps.Add((value, _) => TextTransforms.DigitsOnlyPhone(value));
                    break;
                case TransformKind.MapValues:
                    if (ParseValueMap(transform.Map, out var mapProblem) is { } map)
                    {
                        steps.Add((value, _) => map.TryGetValue(value.Trim(), out var mapped) ? mapped : value);
                    }
                    else
                    {
                        problems.Add($"{name}: {mapProblem}");
                    }

                    break;
                case TransformKind.DateFormat:
                    if (dateField?.ReadDate is not { } readDate)
                    {
                        problems.Add($"{name} only applies to a date field (ReceivedAt)");
                    }
                    else if (DateFormatProblem(transform.Format) is { } problem)
                    {
                        problems.Add($"{name}: {problem}");
                    }
                    else
                    {
                        // Renders from the date itself, not from the text so far, so no parsing can go wrong.
                        var format = transform.Format;
                        steps.Add((_, row) => dates.Render(readDate(row), format));
                    }

                    break;
                default:
                    problems.Add($"unknown transform kind {(int)transform.Kind}");
                    break;
            }
        }

        return [.. steps];
    }

    private static int[] CompileRequireAnyOf(List<string> headers, Dictionary<string, int> columnByHeader, List<string> errors)
    {
        var indexes = new List<int>();
        foreach (var header in headers)
        {
            if (string.IsNullOrWhiteSpace(header))
            {
                errors.Add("Require one of: an entry is empty");
            }
            else if (!columnByHeader.TryGetValue(header.Trim(), out var number))
            {
                errors.Add($"Require one of: no column has the header \"{header.Trim()}\"");
            }
            else if (!indexes.Contains(number - 1))
            {
                indexes.Add(number - 1);
            }
        }

        return [.. indexes];
    }

    private static TimeZoneInfo? FindTimeZone(string? id, List<string> errors)
    {
        // Only IANA-shaped ids reach the system lookup, which reads files named after the id.
        if (id is not null && IanaId().IsMatch(id.Trim()))
        {
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
            }
        }

        errors.Add($"Settings: unknown time zone \"{id}\" (use an IANA id such as Europe/Stockholm)");
        return null;
    }

    private static string? DateFormatProblem(string? format)
    {
        if (string.IsNullOrWhiteSpace(format))
        {
            return "date format is empty";
        }

        try
        {
            var a = SampleA.ToString(format, CultureInfo.InvariantCulture);
            var b = SampleB.ToString(format, CultureInfo.InvariantCulture);
            return a == b ? $"bad date format \"{format}\" (it shows no part of the date or time)" : null;
        }
        catch (FormatException)
        {
            return $"bad date format \"{format}\"";
        }
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex IanaId();
}
