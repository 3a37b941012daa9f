using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace LeadPortal.Shared;

/// <summary>The ISO 3166-1 countries, looked up by alpha-2, alpha-3 or English name.</summary>
public static partial class Countries
{
    public static IReadOnlyList<Country> All { get; } = Parse();

    private static readonly Dictionary<string, Country> ByKey = Index();

    /// <summary>
    /// Finds a country by ISO-2 or ISO-3 code or by name, ignoring case, accents, surrounding whitespace
    /// and the kind of apostrophe.
    /// </summary>
    public static bool TryFind(string? value, [NotNullWhen(true)] out Country? country)
    {
        country = null;
        return !string.IsNullOrWhiteSpace(value) && ByKey.TryGetValue(Key(value), out country);
    }

    /// <summary>The ISO-2 code of a name or code; an unknown value is returned as it came.</summary>
    public static string ToIso2(string value) => TryFind(value, out var country) ? country.Alpha2 : value;

    /// <summary>The English short name of a code or name; an unknown value is returned as it came.</summary>
    public static string ToName(string value) => TryFind(value, out var country) ? country.Name : value;

    private static List<Country> Parse()
    {
        var countries = new List<Country>();
        foreach (var line in Table.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('|');
            countries.Add(new Country(parts[0], parts[1], parts[2], parts[3..]));
        }

        return countries;
    }

    private static Dictionary<string, Country> Index()
    {
        var index = new Dictionary<string, Country>(StringComparer.Ordinal);
        // Codes first, so that an alias such as "UK" can never shadow a real code.
        foreach (var country in All)
        {
            index.Add(Key(country.Alpha2), country);
            index.Add(Key(country.Alpha3), country);
        }

        foreach (var country in All)
        {
            index.TryAdd(Key(country.Name), country);
            foreach (var alias in country.Aliases)
            {
                index.TryAdd(Key(alias), country);
            }
        }

        return index;
    }

    private static string Key(string value)
    {
        var decomposed = value.Trim().Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        var lastWasSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace)
                {
                    key.Append(' ');
                }

                lastWasSpace = true;
                continue;
            }

            lastWasSpace = false;
            key.Append(c is '\u2019' or '\u2018' or '`' ? '\'' : char.ToLowerInvariant(c));
        }

        return key.ToString();
    }
}
