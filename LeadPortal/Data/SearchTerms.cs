namespace LeadPortal.Data;

/// <summary>
/// What the inbox's free text is searched as: the text itself (matched without regard to case or accents, see each
/// dialect), and, when the text looks like a phone number, its digits alone (matched against the digits of the lead's
/// number in E.164 and national form, so "+46 70", "070-12" and "46701234567" all find "070-123 45 67").
/// </summary>
public sealed record SearchTerms(string Text, string? Digits)
{
    /// <summary>The fewest digits a phone-like text must hold to be searched by its digits (the trigram indexes need three).</summary>
    public const int MinDigits = 3;

    /// <summary>
    /// The terms for a trimmed text. A text of digits with only a phone's punctuation (spaces, <c>+ - ( ) . /</c>) is
    /// also searched by its digits; anything else (a letter, an <c>@</c>) is searched as text only.
    /// </summary>
    public static SearchTerms Of(string text)
    {
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c is not (' ' or '+' or '-' or '(' or ')' or '.' or '/'))
            {
                return new SearchTerms(text, null);
            }
        }

        if (digits < MinDigits)
        {
            return new SearchTerms(text, null);
        }

        var only = string.Concat(text.Where(char.IsAsciiDigit));
        return new SearchTerms(text, only == text ? null : only);
    }
}
