using System.Globalization;
using LeadPortal.Shared;

namespace LeadPortal.Quality;

/// <summary>
/// A lead's e-mail address as a mail server would take it: RFC 5321/5322 as servers apply them (a dot-atom or a quoted
/// local part of at most 64 bytes; a domain name of at least two labels, which may be internationalised; no address
/// literals, comments or folding white space), with UTF-8 local parts as SMTPUTF8 (RFC 6531) allows.
/// </summary>
/// <param name="Normalized">
/// What groups one person's leads: the local part in lower case and the domain in lower-case punycode
/// (<c>josé@xn--bcher-kva.example</c>), so that both spellings of an internationalised domain are one person. An invalid
/// address keeps its old form, the whole text in lower case, so that a person's data is still found by what they sent.
/// </param>
/// <param name="IsRole">A mailbox of a function rather than a person (info@, sales@, noreply@): not a buyer to call.</param>
/// <param name="DomainKind">Whose the domain is, by the vendored lists (<see cref="DomainLists"/>); Unknown unless valid.</param>
public sealed record EmailFacts(Validity Validity, string? Normalized, bool IsRole, EmailDomainKind DomainKind = EmailDomainKind.Unknown)
{
    public static readonly EmailFacts None = new(Validity.Unknown, null, false);

    /// <summary>The domain of a valid address in lower-case punycode, or null.</summary>
    public string? Domain => Validity == Validity.Valid ? Normalized![(Normalized!.LastIndexOf('@') + 1)..] : null;

    /// <summary>
    /// The customer's company's domain: a valid address's domain unless it is a free or throwaway mail provider's. The
    /// whole host as written (<c>mail.contoso.com</c> stays so): cutting it to a registrable domain needs the public
    /// suffix list, and "contoso.co.uk" is not "co.uk".
    /// </summary>
    public string? CompanyDomain => DomainKind == EmailDomainKind.Company ? Domain : null;

    /// <summary>RFC 5321's limits: 64 bytes of local part, and 254 characters of path between the angle brackets.</summary>
    public const int MaxLocalBytes = 64;

    public const int MaxLength = 254;

    private const int MaxDomainLength = 253;

    private const int MaxLabelLength = 63;

    // RFC 5322 atext beyond letters and digits.
    private const string AtextSymbols = "!#$%&'*+-/=?^_`{|}~";

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>
    /// Local parts of shared mailboxes, compared without dots, hyphens and underscores and without a "+tag"
    /// (<c>no-reply</c>, <c>no_reply</c> and <c>noreply+leads</c> are all <c>noreply</c>).
    /// </summary>
    public static readonly IReadOnlySet<string> RoleLocalParts = new HashSet<string>(StringComparer.Ordinal)
    {
        "abuse", "accounting", "accounts", "admin", "administrator", "billing", "careers", "contact", "contactus",
        "customerservice", "donotreply", "enquiries", "enquiry", "hello", "help", "helpdesk", "hostmaster", "hr", "info",
        "inquiries", "inquiry", "it", "jobs", "mail", "marketing", "newsletter", "noreply", "office", "orders", "postmaster",
        "privacy", "sales", "security", "service", "support", "team", "webmaster",
    };

    /// <summary>Reads an address; never throws. A missing address is Unknown.</summary>
    public static EmailFacts Parse(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return None;
        }

        var text = raw.Trim();
        var invalid = new EmailFacts(Validity.Invalid, text.ToLowerInvariant(), false);
        if (text.Length > MaxLength || !IsWellFormed(text))
        {
            return invalid;
        }

        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1)
        {
            return invalid;
        }

        var local = text[..at];
        var domain = AsciiDomain(text[(at + 1)..]);
        if (domain is null || !IsLocalPart(local))
        {
            return invalid;
        }

        var normalizedLocal = local.ToLowerInvariant();
        return new EmailFacts(Validity.Valid, normalizedLocal + "@" + domain, IsRoleLocalPart(normalizedLocal), DomainLists.Classify(domain));
    }

    /// <summary>The address for people to read: an internationalised domain in its own script; the text as it is otherwise.</summary>
    public static string Display(string email)
    {
        var at = email.LastIndexOf('@');
        if (at < 0 || !email.AsSpan(at + 1).Contains("xn--", StringComparison.OrdinalIgnoreCase))
        {
            return email;
        }

        try
        {
            return email[..(at + 1)] + Idn.GetUnicode(email[(at + 1)..]);
        }
        catch (ArgumentException)
        {
            return email;
        }
    }

    /// <summary>
    /// Every form a stored lead may keep an address in for matching: this one (<see cref="Parse"/>'s), and for an
    /// internationalised domain the whole address in lower case with the domain in Unicode, as leads stored before
    /// punycode normalisation have it (until they are reprocessed).
    /// </summary>
    public static IReadOnlyList<string> MatchForms(string normalized)
    {
        var forms = new List<string> { normalized };
        if (Display(normalized).ToLowerInvariant() is var unicode && unicode != normalized)
        {
            forms.Add(unicode);
        }

        return forms;
    }

    private static bool IsRoleLocalPart(string local)
    {
        if (local.StartsWith('"'))
        {
            return false;
        }

        var plus = local.IndexOf('+');
        var box = (plus > 0 ? local[..plus] : local).Replace(".", "", StringComparison.Ordinal)
            .Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return RoleLocalParts.Contains(box);
    }

    /// <summary>No lone surrogate, control character, U+0000 or U+FFFD (what a broken character became on the way) anywhere.</summary>
    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || char.IsControl(c) || c == '\uFFFD')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLocalPart(string local)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(local) > MaxLocalBytes)
        {
            return false;
        }

        return local.StartsWith('"') ? IsQuotedString(local) : IsDotAtom(local);
    }

    /// <summary>atext separated by single dots: no dot first, last or twice in a row.</summary>
    private static bool IsDotAtom(string local)
    {
        var previousDot = true;
        foreach (var c in local)
        {
            if (c == '.')
            {
                if (previousDot)
                {
                    return false;
                }

                previousDot = true;
                continue;
            }

            previousDot = false;
            // UTF-8 beyond ASCII is atext under SMTPUTF8; white space and separators are not, in any script.
            var isAtext = char.IsAsciiLetterOrDigit(c) || AtextSymbols.Contains(c)
                || (c > 0x7F && !char.IsWhiteSpace(c) && !char.IsSeparator(c));
            if (!isAtext)
            {
                return false;
            }
        }

        return !previousDot;
    }

    /// <summary>A quoted string: printable ASCII (and UTF-8) except " and \ unescaped, spaces allowed, \ escaping one character.</summary>
    private static bool IsQuotedString(string local)
    {
        if (local.Length < 2 || local[^1] != '"')
        {
            return false;
        }

        for (var i = 1; i < local.Length - 1; i++)
        {
            var c = local[i];
            if (c == '\\')
            {
                if (++i >= local.Length - 1)
                {
                    return false;
                }
            }
            else if (c == '"')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The domain in lower-case punycode, or null when it is no host name a mail server would deliver to.</summary>
    internal static string? AsciiDomain(string domain)
    {
        // A trailing dot (the DNS root) is legal in DNS but no mail server takes it in an address; a literal
        // ([192.0.2.1]) is legal in RFC 5321 but no person gives one in a form.
        if (domain.Length == 0 || domain.EndsWith('.') || domain.StartsWith('.') || domain.StartsWith('['))
        {
            return null;
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (ascii.Length > MaxDomainLength)
        {
            return null;
        }

        var labels = ascii.Split('.');
        if (labels.Length < 2 || labels[^1].All(char.IsAsciiDigit))
        {
            return null;
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return null;
            }
        }

        return ascii;
    }
}
