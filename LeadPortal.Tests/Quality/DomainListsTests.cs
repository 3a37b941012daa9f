using System.Text.RegularExpressions;
using LeadPortal.Quality;
using LeadPortal.Shared;

namespace LeadPortal.Tests.Quality;

public sealed partial class DomainListsTests
{
    [Theory]
    [InlineData("gmail.com", EmailDomainKind.Freemail)]
    [InlineData("outlook.com", EmailDomainKind.Freemail)]
    [InlineData("web.de", EmailDomainKind.Freemail)]
    [InlineData("yahoo.co.uk", EmailDomainKind.Freemail)]
    [InlineData("mailinator.com", EmailDomainKind.Disposable)]
    [InlineData("eu.mailinator.com", EmailDomainKind.Disposable)] // a parent domain on the list counts
    [InlineData("guerrillamail.com", EmailDomainKind.Disposable)]
    [InlineData("contoso.com", EmailDomainKind.Company)]
    [InlineData("mail.contoso.com", EmailDomainKind.Company)]
    [InlineData("com", EmailDomainKind.Company)] // no label left to look up: nothing on a list
    public void A_domain_is_classified_by_the_vendored_lists(string domain, EmailDomainKind kind) =>
        Assert.Equal(kind, DomainLists.Classify(domain));

    [Fact]
    public void The_lists_are_loaded_once_with_thousands_of_host_names_each_and_none_on_both()
    {
        Assert.Same(DomainLists.Freemail, DomainLists.Freemail);
        Assert.True(DomainLists.Freemail.Count > 4_000, $"{DomainLists.Freemail.Count} freemail domains");
        Assert.True(DomainLists.Disposable.Count > 8_000, $"{DomainLists.Disposable.Count} disposable domains");
        Assert.All(DomainLists.Freemail.Concat(DomainLists.Disposable), d => Assert.Matches(HostName(), d));
        Assert.Empty(DomainLists.Freemail.Intersect(DomainLists.Disposable));
    }

    [Fact]
    public void Each_vendored_list_ships_with_its_licence_and_its_source()
    {
        var folder = Path.Combine(RepoRoot(), "LeadPortal", "Quality", "DomainLists");
        Assert.Contains("CC0 1.0", File.ReadAllText(Path.Combine(folder, "disposable.LICENSE.txt")));
        Assert.Contains("Permission to use, copy, modify, and/or distribute", File.ReadAllText(Path.Combine(folder, "freemail.LICENSE.txt")));
        var sources = File.ReadAllText(Path.Combine(folder, "SOURCES.md"));
        Assert.Contains("disposable-email-domains/disposable-email-domains", sources);
        Assert.Contains("freemail", sources);
        Assert.True(File.Exists(Path.Combine(RepoRoot(), "scripts", "refresh-domain-lists.sh")));
    }

    [Theory]
    [InlineData("contoso.com", "contoso.com")]
    [InlineData("  Contoso.COM ", "contoso.com")]
    [InlineData("@contoso.com", "contoso.com")]
    [InlineData("maja@contoso.com", "contoso.com")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("contoso", null)]
    [InlineData("contoso..com", null)]
    [InlineData("<script>", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_typed_domain_is_read_as_the_stored_form(string? typed, string? stored) =>
        Assert.Equal(stored, CompanyDomains.Canonical(typed));

    [Fact]
    public void A_stored_domain_is_shown_in_its_own_script() =>
        Assert.Equal("bücher.example", CompanyDomains.Display("xn--bcher-kva.example"));

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeadPortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LeadPortal.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")]
    private static partial Regex HostName();
}
