using System.Text.Json;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

/// <summary>
/// Every page checked by axe-core (4.14.1, vendored under Browser/Axe) against WCAG 2.1 A and AA, signed in as an admin
/// with the sample leads in the store, at a desktop and a phone width, in light mode.
/// </summary>
[Collection(AccessibilityBrowserCollection.Name)]
public sealed class AccessibilityBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    private static readonly string AxePath = Path.Combine(AppContext.BaseDirectory, "Browser", "Axe", "axe.min.js");

    public static TheoryData<int> Widths() => new() { 1280, 390 };

    [BrowserTheory]
    [MemberData(nameof(Widths))]
    public async Task No_page_has_an_accessibility_violation(int width)
    {
        using (var http = browser.App.CreateClient())
        {
            foreach (var sample in SampleLeads.Names)
            {
                await http.PostLeadAsync(SampleLeads.Tagged(sample));
            }
        }

        var leadId = await browser.App.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.MaxAsync(db.Leads, l => l.Id));
        // A table source with an error to show (paused, so it is never read: this app has no table service).
        await browser.App.QueryAsync(async db =>
        {
            if (!await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.TableSources, s => s.Name == "Axe table"))
            {
                db.TableSources.Add(new LeadPortal.Data.TableSource
                {
                    Name = "Axe table", Paused = true, CreatedAt = DateTime.UtcNow, HistoryDone = true, ImportedTotal = 12, LastSuccessAt = DateTime.UtcNow.AddHours(-2),
                    FailingSince = DateTime.UtcNow.AddHours(-1), LastError = "The storage account refused the credential (HTTP 403 AuthenticationFailed).",
                });
            }

            return await db.SaveChangesAsync();
        });
        // A Contact me lead's page has more on it: its response clock, Partner Center's expiry and acceptance.
        var contactMeId = await browser.App.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.MaxAsync(db.Leads.Where(l => l.ActionCode == "PLT"), l => l.Id));
        var page = await browser.NewPageAsync(width, 900);
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        var found = new List<string>();
        foreach (var path in new[]
        {
            "/leads", $"/leads/{leadId}", $"/leads/{contactMeId}", "/dashboard", "/exports", "/mappings", "/settings/notifications", "/admin/endpoint",
            "/admin/delivery-log", "/admin/sources", "/admin/mail", "/admin/forwarding", "/admin/users", "/admin/assignment", "/admin/response-times", "/admin/quality",
            "/admin/reprocess", "/admin/personal-data", "/admin/audit", "/tasks", "/admin/reasons",
        })
        {
            await page.GotoAsync(path);
            await SignInPage.WaitForCircuitAsync(page);
            // Checked once the page has its data: no skeleton, loading bar or loading table left.
            await page.WaitForFunctionAsync("() => !document.querySelector('.mud-skeleton, .mud-progress-linear-indeterminate, .mud-table-loading')");
            found.AddRange((await ViolationsAsync(page)).Select(v => $"{path}: {v}"));
        }

        var anonymous = await browser.NewPageAsync(width, 900);
        await anonymous.GotoAsync("/account/login");
        found.AddRange((await ViolationsAsync(anonymous)).Select(v => $"/account/login: {v}"));

        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    private static async Task<List<string>> ViolationsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxePath });
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
              return JSON.stringify(result.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ' = ' + n.html.slice(0, 160)) })));
            }
            """);
        return JsonSerializer.Deserialize<List<Violation>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!
            .Select(v => $"{v.Id} ({v.Help}) × {v.Nodes.Count}: {string.Join(" | ", v.Nodes.Take(4))}")
            .ToList();
    }

    private sealed record Violation(string Id, string Help, List<string> Nodes);
}
