using System.Globalization;
using System.Text;
using LeadPortal.Shared;

namespace LeadPortal.Mapping;

/// <summary>The text transforms of <see cref="TransformKind"/>, as pure functions.</summary>
public static class TextTransforms
{
    private static readonly TextInfo Invariant = CultureInfo.InvariantCulture.TextInfo;

    public static string Trim(string value) => value.Trim();

    public static string Upper(string value) => Invariant.ToUpper(value);

    public static string Lower(string value) => Invariant.ToLower(value);

    /// <summary>"ó briain" and "Ó BRIAIN" both become "Ó Briain".</summary>
    // Lower-cased first because ToTitleCase leaves all-capital words alone (as acronyms), and a name typed
    // in capitals is far more common in lead forms than an acronym.
    public static string TitleCase(string value) => Invariant.ToTitleCase(Invariant.ToLower(value));

    /// <summary>
    /// Keeps at most <paramref name="length"/> UTF-16 code units — what the CRMs' field lengths count (an emoji family
    /// is 11, a Hindi syllable 2 or 3) — cut back to the last whole grapheme, so no surrogate pair, accent or
    /// conjunct is split.
    /// </summary>
    public static string Truncate(string value, int length)
    {
        if (value.Length <= length)
        {
            return value;
        }

        var end = 0;
        while (end < value.Length)
        {
            var next = StringInfo.GetNextTextElementLength(value, end);
            if (end + next > length)
            {
                break;
            }

            end += next;
        }

        return value[..end];
    }

    public static string CountryToIso2(string value) => Countries.ToIso2(value);

    public static string CountryToName(string value) => Countries.ToName(value);

    /// <summary>
    /// Keeps the digits (any script, as ASCII) and a '+' that starts the number. An extension after it goes: glued on,
    /// its digits would make another number.
    /// </summary>
    public static string DigitsOnlyPhone(string value)
    {
        var result = new StringBuilder(value.Length);
        var text = Quality.PhoneFacts.WithoutExtension(value).AsSpan().TrimStart();
        if (text.StartsWith("+"))
        {
            result.Append('+');
            text = text[1..];
        }

        foreach (var c in text)
        {
            if (char.IsDigit(c))
            {
                // Full-width and other-script digits come from phone keyboards in some locales; CRMs want ASCII.
                result.Append((char)('0' + (int)char.GetNumericValue(c)));
            }
        }

        return result.Length == 1 && result[0] == '+' ? "" : result.ToString();
    }
}
