using System.Text;
using System.Text.RegularExpressions;

namespace LeadPortal.Tests.Docs;

// README.md is the front door and docs/ holds the rest; a page moved or a heading renamed must not leave a dead link.
public sealed partial class DocumentationLinkTests
{
    private const int ReadmeLimit = 10_000;

    [Fact]
    public void Every_relative_link_in_the_readme_and_the_docs_reaches_a_file_and_heading_that_exist()
    {
        var root = RepoRoot();
        var pages = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories))
            .ToList();

        var broken = pages.SelectMany(page => BrokenLinks(page, root)).ToList();

        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_readme_stays_a_short_front_door()
    {
        var size = new FileInfo(Path.Combine(RepoRoot(), "README.md")).Length;

        Assert.True(size <= ReadmeLimit, $"README.md is {size:N0} bytes; keep it at most {ReadmeLimit:N0} and move detail under docs/.");
    }

    [Fact]
    public void The_checker_reports_a_missing_file_and_a_missing_heading()
    {
        var dir = Directory.CreateTempSubdirectory("doclinks");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "other.md"), "# Other page\n\n## How `intake` keeps leads safe\n");
            var page = Path.Combine(dir.FullName, "page.md");
            File.WriteAllText(page, """
                # Page
                [fine](other.md#how-intake-keeps-leads-safe) [fine too](#page) [web](https://example.com/x.md)
                `[in code](nowhere.md)`
                ```
                [in a block](nowhere.md)
                ```
                [gone](missing.md) [no heading](other.md#nothing-here) [not here](#absent)
                """);

            var broken = BrokenLinks(page, dir.FullName).ToList();

            Assert.Equal(3, broken.Count);
            Assert.Contains(broken, b => b.Contains("missing.md", StringComparison.Ordinal));
            Assert.Contains(broken, b => b.Contains("other.md#nothing-here", StringComparison.Ordinal));
            Assert.Contains(broken, b => b.Contains("#absent", StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("HTTPS endpoint or Azure Table: choosing the lead destination", "https-endpoint-or-azure-table-choosing-the-lead-destination")]
    [InlineData("How `intake` keeps leads safe", "how-intake-keeps-leads-safe")]
    [InlineData("SQLite and PostgreSQL side by side", "sqlite-and-postgresql-side-by-side")]
    [InlineData("One and two instances (PostgreSQL)", "one-and-two-instances-postgresql")]
    [InlineData("CRM presets — and limits", "crm-presets--and-limits")]
    public void A_heading_gets_the_anchor_GitHub_gives_it(string heading, string slug) =>
        Assert.Equal(slug, Slug(heading));

    private static IEnumerable<string> BrokenLinks(string page, string root)
    {
        var text = WithoutCode(File.ReadAllText(page));
        var shown = Path.GetRelativePath(root, page).Replace('\\', '/');
        foreach (Match link in LinkPattern().Matches(text))
        {
            var target = link.Groups["target"].Value;
            if (target.Length == 0 || ExternalPattern().IsMatch(target))
            {
                continue;
            }

            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var file = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var path = file.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, file));

            if (!File.Exists(path) && !Directory.Exists(path))
            {
                yield return $"{shown}: {target} (no such file)";
            }
            else if (anchor is not null && (!File.Exists(path) || !Anchors(path).Contains(anchor)))
            {
                yield return $"{shown}: {target} (no heading with that anchor)";
            }
        }
    }

    // Headings' anchors as GitHub makes them; a repeated heading gets -1, -2 ….
    private static HashSet<string> Anchors(string path)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match heading in HeadingPattern().Matches(WithoutFencedBlocks(File.ReadAllText(path))))
        {
            var slug = Slug(heading.Groups["text"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return anchors;
    }

    private static string Slug(string heading)
    {
        var text = MarkdownLinkText().Replace(heading.Trim(), "$1");
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    private static string WithoutCode(string markdown) => InlineCode().Replace(WithoutFencedBlocks(markdown), "");

    private static string WithoutFencedBlocks(string markdown) => FencedBlock().Replace(markdown, "");

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeadPortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LeadPortal.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target>[^)\s]*)(\s+""[^""]*"")?\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")]
    private static partial Regex ExternalPattern();

    [GeneratedRegex(@"^#{1,6}[ \t]+(?<text>.+?)[ \t#]*$", RegexOptions.Multiline)]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLinkText();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
