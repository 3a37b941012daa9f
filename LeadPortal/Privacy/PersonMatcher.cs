using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace LeadPortal.Privacy;

/// <summary>What identifies a person in text: their address, the names, phone numbers and companies of their leads.</summary>
public sealed record PersonTraits(string Address, IReadOnlyList<string> Names, IReadOnlyList<string> Phones, IReadOnlyList<string> Companies);

/// <summary>
/// Finds and blanks a person in free text (notes, log lines, mail bodies, filters), in every form they are written
/// there: as typed, URL-encoded (saved views, export filters: <c>%40</c>, <c>%20</c>, <c>+</c>), HTML-encoded (mail
/// bodies: <c>Jos&amp;#233;</c>, <c>Jos&amp;#xE9;</c>), the name whole and first and last apart, and phone numbers
/// whatever their spacing or punctuation. A company names a person only next to them, so it is blanked only in a text
/// that also mentions the person: "Contoso" alone in a colleague's note stays.
/// </summary>
public sealed class PersonMatcher
{
    /// <summary>Names and companies shorter than this are not looked for alone ("Al", "AB" would blank too much).</summary>
    public const int MinPartLength = 3;

    /// <summary>A phone number is looked for by its last digits (the part every spelling shares: "+46 70…", "070…").</summary>
    public const int PhoneDigits = 8;

    private readonly Regex? _person;
    private readonly Regex? _company;

    private PersonMatcher(Regex? person, Regex? company)
    {
        _person = person;
        _company = company;
    }

    public static PersonMatcher For(PersonTraits traits)
    {
        var literals = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        AddForms(literals, traits.Address);
        foreach (var name in traits.Names.Where(n => !string.IsNullOrWhiteSpace(n)))
        {
            var whole = Regex.Replace(name.Trim(), @"\s+", " ");
            AddForms(literals, whole);
            foreach (var part in whole.Split(' ').Where(p => p.Length >= MinPartLength))
            {
                AddForms(words, part);
            }
        }

        var patterns = literals.OrderByDescending(l => l.Length).Select(Regex.Escape)
            .Concat(words.OrderByDescending(w => w.Length).Select(w => $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(w)}(?![\p{{L}}\p{{N}}])"))
            .Concat(traits.Phones.Select(PhonePattern).OfType<string>().Distinct())
            .ToList();
        var companies = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var company in traits.Companies.Where(c => c is not null && c.Trim().Length >= MinPartLength))
        {
            AddForms(companies, company.Trim());
        }

        return new PersonMatcher(
            patterns.Count == 0 ? null : new Regex(string.Join("|", patterns), Options),
            companies.Count == 0 ? null : new Regex(string.Join("|", companies.OrderByDescending(c => c.Length)
                .Select(c => $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(c)}(?![\p{{L}}\p{{N}}])")), Options));
    }

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled;

    /// <summary>Whether the text mentions the person.</summary>
    public bool Mentions(string? text) => text is not null && _person is not null && _person.IsMatch(text);

    /// <summary>The text with every mention of the person (and then of their company) replaced; the same text when none.</summary>
    public string? Blank(string? text)
    {
        if (!Mentions(text))
        {
            return text;
        }

        var blanked = _person!.Replace(text!, PersonalData.Erased);
        return _company is null ? blanked : _company.Replace(blanked, PersonalData.Erased);
    }

    /// <summary>The text, URL-encoded both ways, and HTML-encoded both ways (decimal entities and the encoder Razor uses).</summary>
    private static void AddForms(HashSet<string> forms, string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        forms.Add(text);
        forms.Add(Uri.EscapeDataString(text));
        forms.Add(WebUtility.UrlEncode(text));
        forms.Add(WebUtility.HtmlEncode(text));
        forms.Add(HtmlEncoder.Default.Encode(text));
        forms.Add(Uri.EscapeDataString(WebUtility.HtmlEncode(text)));
    }

    /// <summary>The number's last digits with anything a person types between digits allowed between them.</summary>
    private static string? PhonePattern(string phone)
    {
        // Only the number itself: an extension ("ext. 12") is not part of what is matched.
        var main = Quality.PhoneFacts.WithoutExtension(phone);
        var digits = new StringBuilder();
        foreach (var c in main.Where(char.IsAsciiDigit))
        {
            digits.Append(c);
        }

        if (digits.Length < 7)
        {
            return null;
        }

        var tail = digits.ToString()[Math.Max(0, digits.Length - PhoneDigits)..];
        // No look-behind: the tail follows a country code or trunk prefix. Not followed by a digit: a longer number is another.
        return string.Join(@"[\s\-./()]{0,3}", tail.Select(c => c.ToString())) + @"(?!\d)";
    }
}
