namespace LeadPortal.Quality;

/// <summary>A company's e-mail domain as a filter and a page take it: stored in lower-case punycode, shown in Unicode.</summary>
public static class CompanyDomains
{
    /// <summary>
    /// What a user typed (<c>Contoso.COM</c>, <c>@contoso.com</c>, <c>maja@contoso.com</c>, <c>bücher.example</c>) as
    /// <see cref="Data.Lead.CompanyDomain"/> keeps it; null when it is no domain name.
    /// </summary>
    public static string? Canonical(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        var at = trimmed.LastIndexOf('@');
        return EmailFacts.AsciiDomain(at >= 0 ? trimmed[(at + 1)..] : trimmed);
    }

    /// <summary>A stored domain for people to read: an internationalised one in its own script.</summary>
    public static string Display(string domain) => EmailFacts.Display("@" + domain)[1..];
}
