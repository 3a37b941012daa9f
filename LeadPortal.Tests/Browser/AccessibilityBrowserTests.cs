using System.Text.Json;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

/// <summary>
/// Every page checked by axe-core (4.14.1, vendored under Browser/Axe) against WCAG 2.1 A and AA, signed in as an admin
/// with the sample leads in the store, at a desktop and a phone width, in the light and the dark theme (the browser's
/// prefers-color-scheme, which the theme follows until the user picks one).
/// </summary>
[Collection(AccessibilityBrowserCollection.Name)]
public sealed class AccessibilityBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    private static readonly string AxePath = Path.Combine(AppContext.BaseDirectory, "Browser", "Axe", "axe.min.js");

    private const string DarkBackground = "rgb(18, 22, 29)";

    public static TheoryData<int> Widths() => new() { 1280, 390 };

    [BrowserTheory]
    [MemberData(nameof(Widths))]
    public async Task No_page_has_an_accessibility_violation_in_either_theme(int width)
    {
        await PostSamplesAsync(SampleLeads.Names);

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
            // The same page in the dark theme: the system turns dark, and the open page follows it.
            found.AddRange((await InDarkThemeAsync(page, () => ViolationsAsync(page))).Select(v => $"{path} (dark): {v}"));
        }

        var anonymous = await browser.NewPageAsync(width, 900);
        await anonymous.GotoAsync("/account/login");
        found.AddRange((await ViolationsAsync(anonymous)).Select(v => $"/account/login: {v}"));
        var anonymousDark = await browser.NewPageAsync(width, 900, colorScheme: ColorScheme.Dark);
        await anonymousDark.GotoAsync("/account/login");
        found.AddRange((await ViolationsAsync(anonymousDark)).Select(v => $"/account/login (dark): {v}"));

        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [BrowserFact]
    public async Task A_picked_theme_overrides_the_systems_and_stays_on_this_browser_until_the_system_is_followed_again()
    {
        var page = await AdminPageAsync("/dashboard");
        var menu = page.Locator("#theme-menu button");
        await Assertions.Expect(menu).ToHaveAttributeAsync("aria-label", "Theme: matches the system (light)");
        Assert.NotEqual(DarkBackground, await BodyBackgroundAsync(page));

        await menu.ClickAsync();
        await page.Locator("#theme-dark").ClickAsync();
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor === '{DarkBackground}'");
        await Assertions.Expect(menu).ToHaveAttributeAsync("aria-label", "Theme: dark");

        // Kept in this browser: a reload (and the next page) opens dark although the system is light.
        await page.ReloadAsync();
        await SignInPage.WaitForCircuitAsync(page);
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor === '{DarkBackground}'");

        await page.Locator("#theme-menu button").ClickAsync();
        await Assertions.Expect(page.Locator("#theme-dark")).ToHaveAttributeAsync("aria-checked", "true");
        await page.Locator("#theme-system").ClickAsync();
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor !== '{DarkBackground}'");
        // Following the system again means following its changes too.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor === '{DarkBackground}'");
        Assert.Equal("", await page.EvaluateAsync<string>("() => localStorage.getItem('leadPortal.theme') ?? ''"));
    }

    /// <summary>Runs <paramref name="check"/> with the system (so the open page) switched to dark, then back to light.</summary>
    private static async Task<T> InDarkThemeAsync<T>(IPage page, Func<Task<T>> check)
    {
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor === '{DarkBackground}'");
        // MudBlazor's colours change by CSS variables in one go; wait a frame for transitions to start from there.
        await page.WaitForTimeoutAsync(350);
        try
        {
            return await check();
        }
        finally
        {
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
            await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor !== '{DarkBackground}'");
        }
    }

    [BrowserFact]
    public async Task The_inbox_header_is_one_visible_named_tab_stop_per_sortable_column_and_enter_sorts()
    {
        await PostSamplesAsync([SampleLeads.Names[0]]);

        var page = await AdminPageAsync("/leads");
        await page.Locator("#lead-grid tr.lead-row").First.WaitForAsync();
        var sortable = (await page.Locator("#lead-grid thead .sortable-column-header").AllTextContentsAsync()).Select(t => t.Trim()).ToList();
        Assert.True(sortable.Count >= 4, string.Join(", ", sortable));
        // Named after their columns once the page's script has seen them.
        await Assertions.Expect(page.Locator("#lead-grid thead .sort-direction-icon").First).ToHaveAttributeAsync("aria-label", $"Sort by {sortable[0]}");

        var stops = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('#lead-grid thead *')]
                .filter(e => e.tabIndex >= 0 && e.matches('a[href], button, input, select, textarea, [tabindex]'))
                .map(e => e.getAttribute('aria-label') || e.textContent.trim())
            """);
        Assert.Equal(["Select all rows", .. sortable.Select(t => $"Sort by {t}")], stops);

        // Tab from "select all" lands on the first column's sort button, which shows while focused; Enter sorts.
        await page.Locator("#lead-grid thead input[aria-label='Select all rows']").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        var focused = page.Locator("#lead-grid thead .sort-direction-icon:focus");
        await Assertions.Expect(focused).ToHaveAttributeAsync("aria-label", $"Sort by {sortable[0]}");
        Assert.Equal("1", await focused.EvaluateAsync<string>("e => getComputedStyle(e).opacity"));
        Assert.NotEqual("none", await focused.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        // The first sortable column is Received, the inbox's default sort (newest first).
        var header = page.Locator("#lead-grid thead th.col-received");
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "descending");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "ascending");
    }

    [BrowserFact]
    public async Task A_cut_cell_has_its_full_text_as_a_title_and_shows_it_whole_while_its_row_has_focus()
    {
        await PostSamplesAsync(SampleLeads.Names);

        var page = await AdminPageAsync("/leads");
        await page.Locator("#lead-grid tr.lead-row").First.WaitForAsync();
        // At 1280 px the offer column is narrow: "Contoso CRM Add-on" and its like are cut.
        var index = await page.EvaluateAsync<int>("""
            () => [...document.querySelectorAll('#lead-grid tr.lead-row')]
                .findIndex(r => { const e = r.querySelector('td.col-offer .ellipsis'); return e && e.scrollWidth > e.clientWidth; })
            """);
        Assert.True(index >= 0, "An offer cell is expected to be cut at 1280 px.");
        var row = page.Locator("#lead-grid tr.lead-row").Nth(index);
        var offer = row.Locator("td.col-offer .ellipsis").First;
        Assert.Equal((await offer.TextContentAsync())!.Trim(), await offer.GetAttributeAsync("title"));

        await row.FocusAsync();
        Assert.False(await offer.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "The focused row shows the offer whole.");
    }

    private async Task PostSamplesAsync(IEnumerable<string> names)
    {
        using var http = browser.App.CreateClient();
        foreach (var sample in names)
        {
            await http.PostLeadAsync(SampleLeads.Tagged(sample));
        }
    }

    /// <summary>A 1280 px page in the light theme, signed in as the admin, on <paramref name="path"/> once it is interactive.</summary>
    private async Task<IPage> AdminPageAsync(string path)
    {
        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync(path);
        await SignInPage.WaitForCircuitAsync(page);
        return page;
    }

    private static Task<string> BodyBackgroundAsync(IPage page) => page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

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
