using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace LeadPortal.Mapping;

/// <summary>
/// Guards exported cells against CSV injection: a spreadsheet runs a cell that starts with =, +, -, @, tab
/// or CR as a formula, also behind what it skips on import (a NUL, spaces it trims), and lead fields are typed
/// by strangers.
/// </summary>
public static partial class SpreadsheetSafety
{
    // C0 controls but tab, LF and CR; DEL; C1 controls. LibreOffice Calc drops a NUL and then runs "=…" as a formula
    // (checked with Calc 7.4's CSV import); no lead field means anything by any of them, and CRM importers refuse some.
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
    [
        .. Enumerable.Range(0x00, 0x20).Select(c => (char)c).Where(c => c is not ('\t' or '\n' or '\r')),
        .. Enumerable.Range(0x7f, 0x21).Select(c => (char)c),
    ]);

    /// <summary>
    /// Removes control characters other than tab and line breaks, then prefixes a possible formula with a single
    /// quote, which spreadsheets read as "this cell is text". Plain phone numbers and numbers ("+46 8 555 0101",
    /// "-5") are left alone: without letters they cannot reference cells or call functions, and the CRM must
    /// receive them unchanged.
    /// </summary>
    public static string Neutralize(string value) => Neutralize(value, null);

    /// <summary>
    /// As <see cref="Neutralize(string)"/>, and never longer than <paramref name="maxLength"/> UTF-16 units: when the
    /// quote would push a value past it, the value is cut back a grapheme first.
    /// </summary>
    public static string Neutralize(string value, int? maxLength)
    {
        var text = WithoutControlCharacters(value);
        if (!StartsLikeFormula(text))
        {
            return text;
        }

        if (maxLength is { } max && text.Length + 1 > max)
        {
            text = TextTransforms.Truncate(text, Math.Max(0, max - 1));
        }

        return "'" + text;
    }

    /// <summary>True when <see cref="Neutralize"/> would add a quote.</summary>
    public static bool NeedsNeutralizing(string value) => StartsLikeFormula(WithoutControlCharacters(value));

    /// <summary>True when the value holds a control character that <see cref="Neutralize"/> removes.</summary>
    public static bool HasControlCharacters(string value) => value.AsSpan().ContainsAny(ControlCharacters);

    /// <summary>The value without control characters other than tab and line breaks.</summary>
    public static string WithoutControlCharacters(string value)
    {
        if (!HasControlCharacters(value))
        {
            return value;
        }

        var kept = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (!ControlCharacters.Contains(c))
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }

    private static bool StartsLikeFormula(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        if (value[0] is '\t' or '\r')
        {
            return true;
        }

        // Looked at past leading spaces and line breaks: a spreadsheet that trims cells on import
        // (LibreOffice's "Trim spaces") runs " =1+1" too.
        var start = value.AsSpan().TrimStart();
        return start.Length > 0
            && start[0] is '=' or '+' or '-' or '@'
            && !PlainNumber().IsMatch(start);
    }

    // [0-9] rather than \d, which would admit other scripts' digits; \z rather than $, which allows a trailing newline.
    // An extension ("ext 12", "x12", "#12") is part of a phone number: its letters cannot name a function without "(".
    [GeneratedRegex(@"^[+-]?[0-9][0-9 ()./-]*(?:(?:ext\.?|x|\#)\s*[0-9]+)?\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PlainNumber();
}
