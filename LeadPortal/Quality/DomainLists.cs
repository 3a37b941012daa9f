using System.Collections.Frozen;
using System.Reflection;
using LeadPortal.Shared;

namespace LeadPortal.Quality;

/// <summary>
/// The freemail and disposable domain lists vendored in <c>Quality/DomainLists/</c> (their sources, licences and how to
/// refresh them are in SOURCES.md there), read from the assembly once per process into frozen sets. No network call.
/// </summary>
public static class DomainLists
{
    private static readonly Lazy<FrozenSet<string>> FreemailDomains = new(() => Load("freemail.txt"));

    private static readonly Lazy<FrozenSet<string>> DisposableDomains = new(() => Load("disposable.txt"));

    public static FrozenSet<string> Freemail => FreemailDomains.Value;

    public static FrozenSet<string> Disposable => DisposableDomains.Value;

    /// <summary>
    /// Which list a domain (lower-case punycode, as <see cref="EmailFacts"/> gives it) is on, itself or a parent domain
    /// of it (<c>eu.mailinator.com</c> is mailinator's). Disposable first: a throwaway domain is the stronger signal.
    /// </summary>
    public static EmailDomainKind Classify(string domain)
    {
        var freemail = false;
        for (var rest = domain.AsSpan(); rest.Contains('.');)
        {
            var name = rest.ToString();
            if (Disposable.Contains(name))
            {
                return EmailDomainKind.Disposable;
            }

            freemail |= Freemail.Contains(name);
            rest = rest[(rest.IndexOf('.') + 1)..];
        }

        return freemail ? EmailDomainKind.Freemail : EmailDomainKind.Company;
    }

    private static FrozenSet<string> Load(string file)
    {
        var name = $"LeadPortal.Quality.DomainLists.{file}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The domain list {name} is not in the assembly.");
        using var reader = new StreamReader(stream);
        var domains = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim() is { Length: > 0 } domain && !domain.StartsWith('#'))
            {
                domains.Add(domain.ToLowerInvariant());
            }
        }

        return domains.ToFrozenSet(StringComparer.Ordinal);
    }
}
