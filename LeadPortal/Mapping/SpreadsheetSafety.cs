using System.Text.RegularExpressions;

namespace LeadPortal.Mapping;

/// <summary>
/// Guards exported cells against CSV injection: a spreadsheet runs a cell that starts with =, +, -, @, tab
/// or CR as a formula, and lead fields are typed by strangers.
/// </summary>
public static partial class SpreadsheetSafety
{
    /// <summary>
    /// Prefixes a possible formula with a single quote, which spreadsheets read as "this cell is text".
    /// Plain phone numbers and numbers ("+46 8 555 0101", "-5") are left alone: without letters they cannot
    /// reference cells or call functions, and the CRM must receive them unchanged.
    /// </summary>
    public static string Neutralize(string value) =>
        NeedsNeutralizing(value) ? "'" + value : value;

    public static bool NeedsNeutralizing(string value) =>
        value.Length > 0
        && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
        && !PlainNumber().IsMatch(value);

    // [0-9] rather than \d, which would admit other scripts' digits; \z rather than $, which allows a trailing newline.
    [GeneratedRegex(@"^[+-]?[0-9][0-9 ()./-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();
}
