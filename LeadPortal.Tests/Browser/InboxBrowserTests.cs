using LeadPortal.Accounts;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class InboxBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    private async Task<string> CreateSalesUserAsync(string name)
    {
        var email = $"{name}.{Guid.NewGuid():N}"[..20] + "@leadportal.test";
        await browser.CreateUserAsync(email, "Sales-Passw0rd!", Roles.Sales);
        return email;
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var db = await browser.App.CreateDbContextAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    [BrowserFact]
    public async Task Dragging_a_column_edge_resizes_it_keeps_the_width_in_the_view_and_a_double_click_resets_it()
    {
        using (var http = browser.App.CreateClient())
        {
            await http.PostLeadAsync(SampleLeads.Tagged(SampleLeads.Names[0]));
        }

        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync("/leads");
        await SignInPage.WaitForCircuitAsync(page);
        await page.Locator("#lead-grid tr.lead-row").First.WaitForAsync();
        var offer = page.Locator("#lead-grid thead th.col-offer");
        var before = (await offer.BoundingBoxAsync())!;

        // Grab the right edge (2 px inside it) and drag 120 px to the right.
        var y = before.Y + before.Height / 2;
        await page.Mouse.MoveAsync(before.X + before.Width - 2, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(before.X + before.Width + 60, y, new MouseMoveOptions { Steps = 4 });
        await page.Mouse.MoveAsync(before.X + before.Width + 118, y, new MouseMoveOptions { Steps = 4 });
        await page.Mouse.UpAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]w=offer%3A[0-9]+"));
        var stored = int.Parse(System.Text.RegularExpressions.Regex.Match(page.Url, "[?&]w=offer%3A([0-9]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange((double)stored, before.Width + 117, before.Width + 123);
        var widened = (await offer.BoundingBoxAsync())!.Width;
        Assert.InRange(widened, before.Width + 110, before.Width + 125);
        // The drag did not sort by offer.
        Assert.Equal("descending", await page.Locator("#lead-grid thead th.col-received").GetAttributeAsync("aria-sort"));

        // Kept with the view: the same address opens with the same width.
        await page.ReloadAsync();
        await SignInPage.WaitForCircuitAsync(page);
        await page.Locator("#lead-grid tr.lead-row").First.WaitForAsync();
        Assert.InRange((await offer.BoundingBoxAsync())!.Width, widened - 2, widened + 2);

        // A double-click on the edge gives the column the layout's width again, and the address loses it.
        var now = (await offer.BoundingBoxAsync())!;
        await page.Mouse.DblClickAsync(now.X + now.Width - 2, now.Y + now.Height / 2);
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]w="));
        await page.WaitForFunctionAsync($"() => Math.abs(document.querySelector('#lead-grid thead th.col-offer').getBoundingClientRect().width - {before.Width.ToString(System.Globalization.CultureInfo.InvariantCulture)}) < 2");
    }

    [BrowserFact]
    public Task A_sales_user_assigns_ten_of_their_leads_to_a_colleague_whose_my_leads_then_shows_them() => AssignTenAsync(1280, 900);

    [BrowserFact]
    public Task On_a_phone_a_sales_user_assigns_ten_of_their_leads_to_a_colleague_whose_my_leads_then_shows_them() => AssignTenAsync(390, 844);

    private async Task AssignTenAsync(int width, int height)
    {
        var sam = await CreateSalesUserAsync("sam");
        var kim = await CreateSalesUserAsync("kim");
        var samId = await UserIdAsync(sam);
        using var http = browser.App.CreateClient();
        var workflow = browser.App.Services.GetRequiredService<LeadWorkflow>();
        for (var i = 0; i < 12; i++)
        {
            var id = long.Parse((await (await http.PostLeadAsync(SampleLeads.Unique())).ReadReceiptAsync()).Id);
            await workflow.AssignOwnerAsync(id, samId, null);
        }

        var page = await browser.NewPageAsync(width, height);
        await SignInPage.SignInAsync(page, sam, "Sales-Passw0rd!");
        await page.Locator("#lead-grid").WaitForAsync();
        await SignInPage.WaitForCircuitAsync(page);
        if (width >= 1280)
        {
            await page.Locator("#nav-my-leads").ClickAsync();
        }
        else
        {
            // On a phone the menu is folded away: the inbox's own Views menu has My leads.
            await page.Locator("#views-menu").ClickAsync();
            await page.GetByRole(AriaRole.Menuitem, new PageGetByRoleOptions { Name = "My leads", Exact = true }).ClickAsync();
        }

        await page.WaitForURLAsync(url => url.Contains("owner=me", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#inbox-title")).ToHaveTextAsync("My leads");
        await Assertions.Expect(page.Locator("#lead-total")).ToHaveTextAsync("12 leads");

        var checkboxes = page.Locator("tr.lead-row td.col-select input[type=checkbox]");
        await Assertions.Expect(checkboxes).ToHaveCountAsync(12);
        // The first tick brings up the bulk bar, which floats: no row moves, so a quick second click lands where aimed.
        async Task<double> SecondRowTopAsync() => await page.EvaluateAsync<double>(
            "() => document.querySelectorAll('#lead-grid tr.lead-row')[1].getBoundingClientRect().top + window.scrollY");
        var secondRowTop = await SecondRowTopAsync();
        // Each card (phone) or the table (desktop) is as wide as the grid: a line ending in an ellipsis must not widen it.
        Assert.True(await page.EvaluateAsync<bool>(
            "() => { const c = document.querySelector('#lead-grid .mud-table-container'); return c.querySelector('table').offsetWidth <= c.clientWidth; }"));
        for (var i = 0; i < 10; i++)
        {
            // A click, then the tick and the count, as a user sees them. (CheckAsync reads the box straight after its
            // click; on a loaded run the re-render for the box before came in between and it reported the click lost.)
            await checkboxes.Nth(i).ClickAsync();
            await Assertions.Expect(checkboxes.Nth(i)).ToBeCheckedAsync();
            await Assertions.Expect(page.Locator("#selected-count")).ToHaveTextAsync($"{i + 1}");
            if (i == 0)
            {
                Assert.Equal(secondRowTop, await SecondRowTopAsync(), 0.5);
            }
        }

        await Assertions.Expect(page.Locator("#selected-count")).ToHaveTextAsync("10");
        await page.Locator("#bulk-assign").ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new PageGetByRoleOptions { Name = kim.Split('@')[0] }).ClickAsync();
        await Assertions.Expect(page.Locator("#bulk-result")).ToContainTextAsync("10 assigned");
        await Assertions.Expect(page.Locator("#lead-total")).ToHaveTextAsync("2 leads");

        var colleague = await browser.NewPageAsync(width, height);
        await SignInPage.SignInAsync(colleague, kim, "Sales-Passw0rd!");
        await colleague.Locator("#lead-grid").WaitForAsync();
        await colleague.GotoAsync("/?owner=me");
        await Assertions.Expect(colleague.Locator("#lead-total")).ToHaveTextAsync("10 leads");
        await Assertions.Expect(colleague.Locator("tr.lead-row")).ToHaveCountAsync(10);
    }

    [BrowserFact]
    public async Task At_1280_pixels_status_and_owner_are_in_view_and_nothing_claims_the_inbox_is_empty_before_it_loaded()
    {
        using var http = browser.App.CreateClient();
        var body = SampleLeads.Unique().Replace("Fabrikam AB", "Fabrikam International Holdings with a Very Long Registered Company Name AB", StringComparison.Ordinal);
        await http.PostLeadAsync(body);

        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.Locator("#lead-grid").WaitForAsync();
        await Assertions.Expect(page.Locator("tr.lead-row").First).ToBeVisibleAsync();
        foreach (var header in new[] { "th.col-status", "th.col-owner" })
        {
            var box = await page.Locator(header).BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X + box.Width <= 1280, $"{header} ends at {box.X + box.Width} px");
        }

        Assert.Equal(await page.EvaluateAsync<int>("() => document.documentElement.clientWidth"), await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));
        // "/" jumps to the search box.
        await page.Keyboard.PressAsync("/");
        Assert.Equal("search", await page.EvaluateAsync<string>("() => document.activeElement && document.activeElement.id"));
        // A page past the end says so instead of "no leads".
        await page.GotoAsync("/?page=999");
        await Assertions.Expect(page.Locator("#past-the-end")).ToContainTextAsync("Page 999 is past the end");
        await Assertions.Expect(page.Locator("#inbox-empty")).ToHaveCountAsync(0);

        // An empty result keeps readable headers (its one row spans every column; headers must not collapse onto each other).
        await page.GotoAsync("/leads?q=no-such-lead-anywhere");
        await Assertions.Expect(page.Locator("#inbox-empty")).ToBeVisibleAsync();
        var narrowest = await page.EvaluateAsync<double>("() => Math.min(...[...document.querySelectorAll('#lead-grid thead th:not(.col-select)')].map(th => th.getBoundingClientRect().width))");
        Assert.True(narrowest >= 40, $"a header is {narrowest} px wide");
    }

    [BrowserFact]
    public async Task A_lead_that_arrives_while_the_user_is_on_another_page_shows_in_the_menu_until_the_inbox_is_opened()
    {
        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync("/dashboard");
        await SignInPage.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("#nav-new-leads")).ToHaveCountAsync(0);

        using var http = browser.App.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.Created, (await http.PostLeadAsync(SampleLeads.Unique())).StatusCode);
        await Assertions.Expect(page.Locator("#nav-new-leads")).ToHaveTextAsync("1", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Inbox" }).First.ClickAsync();
        await page.Locator("tr.lead-row").First.WaitForAsync();
        await Assertions.Expect(page.Locator("#nav-new-leads")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task On_a_phone_the_inbox_shows_at_least_five_leads_on_the_first_screen_and_a_phone_number_can_be_tapped()
    {
        using var http = browser.App.CreateClient();
        for (var i = 0; i < 6; i++)
        {
            await http.PostLeadAsync(SampleLeads.Unique());
        }

        var page = await browser.NewPageAsync(390, 844);
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("tr.lead-row").Nth(5)).ToBeAttachedAsync();
        var bottoms = await page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('tr.lead-row')].map(r => r.getBoundingClientRect().bottom)");
        Assert.True(bottoms.Count(b => b <= 844) >= 5, $"rows end at {string.Join(", ", bottoms.Take(8).Select(b => (int)b))} px");
        Assert.Equal(390, await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));

        await page.Locator("tr.lead-row a.lead-name").First.ClickAsync();
        await Assertions.Expect(page.Locator("#lead-phone")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^tel:\+?\d{6,}$"));
        // The work panel comes before the lead's facts on a phone.
        var work = await page.GetByText("Work the lead").BoundingBoxAsync();
        var person = await page.GetByText("Person", new PageGetByTextOptions { Exact = true }).BoundingBoxAsync();
        Assert.True(work!.Y < person!.Y);
    }

    [BrowserFact]
    public async Task A_number_with_an_extension_is_a_tel_link_with_the_extension_as_a_parameter_and_its_validity_in_words()
    {
        using var http = browser.App.CreateClient();
        var body = SampleLeads.Unique().Replace("+46 8 555 0101", "+1 425 555 0100 ext. 123", StringComparison.Ordinal);
        var id = (await (await http.PostLeadAsync(body)).ReadReceiptAsync()).Id;

        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync($"/leads/{id}");

        await Assertions.Expect(page.Locator("#lead-phone")).ToHaveAttributeAsync("href", "tel:+14255550100;ext=123");
        await Assertions.Expect(page.Locator("#lead-phone")).ToHaveTextAsync("+1 425-555-0100 ext. 123");
        await Assertions.Expect(page.Locator("#phone-validity")).ToHaveTextAsync("Valid number");
    }

    [BrowserFact]
    public async Task Action_and_status_chips_reach_wcag_aa_contrast()
    {
        using var http = browser.App.CreateClient();
        foreach (var name in SampleLeads.Names)
        {
            await http.PostLeadAsync(SampleLeads.Tagged(name));
        }

        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync("/?test=true");
        await Assertions.Expect(page.Locator("tr.lead-row td.col-action .mud-chip").First).ToBeVisibleAsync();
        await SignInPage.WaitForCircuitAsync(page);

        // Each chip's text colour against its effective background: its own and its ancestors' colours blended
        // (alpha included) down to the page, as WCAG 2.x defines relative luminance and contrast.
        var ratios = await page.EvaluateAsync<ChipContrast[]>(@"() => {
            const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return [0,0,0,0]; const p = m[1].split(',').map(Number); return [p[0],p[1],p[2],p.length > 3 ? p[3] : 1]; };
            const over = (top, under) => { const a = top[3]; return [top[0]*a + under[0]*(1-a), top[1]*a + under[1]*(1-a), top[2]*a + under[2]*(1-a), 1]; };
            const background = el => {
                const layers = [];
                for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
                let color = [255,255,255,1];
                for (let i = layers.length - 1; i >= 0; i--) color = over(layers[i], color);
                return color;
            };
            const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126*f(c[0]) + 0.7152*f(c[1]) + 0.0722*f(c[2]); };
            return [...document.querySelectorAll('#lead-grid tr.lead-row .mud-chip')].filter(c => c.offsetParent !== null).map(chip => {
                const bg = background(chip);
                const fg = over(parse(getComputedStyle(chip).color), bg);
                const [a, b] = [lum(fg), lum(bg)];
                return { text: chip.textContent.trim(), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
            });
        }");

        Assert.True(ratios.Length >= 8, $"only {ratios.Length} chips found");
        var worst = ratios.MinBy(r => r.Ratio)!;
        Assert.True(worst.Ratio >= 4.5, $"\"{worst.Text}\" has contrast {worst.Ratio:0.00}:1");
    }

    [BrowserFact]
    public async Task A_saved_view_made_the_default_is_where_the_inbox_opens_after_signing_out_and_in()
    {
        var sam = await CreateSalesUserAsync("views");
        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, sam, "Sales-Passw0rd!");
        await page.GotoAsync("/leads?action=PLT&sort=company&dir=asc");
        await page.Locator("#lead-grid").WaitForAsync();
        await SignInPage.WaitForCircuitAsync(page);

        // The column chooser hides Country; the view keeps it.
        await Assertions.Expect(page.Locator("th.col-country")).ToHaveCountAsync(1);
        await page.Locator("#columns-menu").ClickAsync();
        var country = page.Locator(".column-choice.column-country");
        await Assertions.Expect(country).ToHaveAttributeAsync("aria-checked", "true");
        await country.ClickAsync();
        // As a user sees it: the choice unticks and the column goes, then the address keeps it (the URL is replaced in
        // place, so it is polled rather than awaited as a navigation).
        await Assertions.Expect(country).ToHaveAttributeAsync("aria-checked", "false");
        await Assertions.Expect(page.Locator("th.col-country")).ToHaveCountAsync(0);
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("hide=country"));
        await page.Keyboard.PressAsync("Escape");

        await page.Locator("#views-menu").ClickAsync();
        await page.Locator("#save-view").ClickAsync();
        await page.Locator(".view-name input").FillAsync("Calls to make");
        await page.Locator(".make-default").ClickAsync();
        await page.Locator("#save-view-button").ClickAsync();
        await Assertions.Expect(page.Locator(".saved-view-row")).ToContainTextAsync("Calls to make");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Done" }).ClickAsync();

        // Elsewhere in the meantime, then signed out.
        await page.GotoAsync("/leads?status=Qualified");
        await page.Locator("#lead-grid").WaitForAsync();
        await SignInPage.WaitForCircuitAsync(page);
        await page.Locator(".user-menu button").First.ClickAsync();
        await page.Locator("#sign-out").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));

        await SignInPage.SignInAsync(page, sam, "Sales-Passw0rd!");
        await page.Locator("#lead-grid").WaitForAsync();
        await page.WaitForURLAsync(url => url.Contains("action=PLT", StringComparison.Ordinal));
        Assert.Contains("sort=company", page.Url);
        Assert.Contains("hide=country", page.Url);
        Assert.DoesNotContain("status=", page.Url);
        await Assertions.Expect(page.Locator("th.col-status")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("th.col-country")).ToHaveCountAsync(0);
        await SignInPage.WaitForCircuitAsync(page);
        await page.Locator("#views-menu").ClickAsync();
        await Assertions.Expect(page.Locator(".saved-view")).ToContainTextAsync("Calls to make");
    }

    [BrowserFact]
    public async Task The_inbox_is_worked_from_the_keyboard_and_the_menu_marks_the_view_that_is_open()
    {
        var sam = await CreateSalesUserAsync("keys");
        var samId = await UserIdAsync(sam);
        using var http = browser.App.CreateClient();
        var workflow = browser.App.Services.GetRequiredService<LeadWorkflow>();
        for (var i = 0; i < 3; i++)
        {
            var id = long.Parse((await (await http.PostLeadAsync(SampleLeads.Unique())).ReadReceiptAsync()).Id);
            await workflow.AssignOwnerAsync(id, samId, null);
        }

        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, sam, "Sales-Passw0rd!");
        await page.GotoAsync("/leads?owner=me");
        await Assertions.Expect(page.Locator("tr.lead-row")).ToHaveCountAsync(3);
        await SignInPage.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator(".mud-nav-item.nav-current")).ToHaveTextAsync("My leads");

        // Rows are one tab stop; j/k and the arrows move, x selects, Enter opens, u comes back.
        Assert.Equal(1, await page.Locator("tr.lead-row[tabindex='0']").CountAsync());
        async Task<int> FocusedRowAsync() => await page.EvaluateAsync<int>("() => [...document.querySelectorAll('#lead-grid tr.lead-row')].indexOf(document.activeElement)");
        await page.Keyboard.PressAsync("j");
        Assert.Equal(0, await FocusedRowAsync());
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("j");
        Assert.Equal(2, await FocusedRowAsync());
        await page.Keyboard.PressAsync("j");
        Assert.Equal(2, await FocusedRowAsync());
        await page.Keyboard.PressAsync("k");
        Assert.Equal(1, await FocusedRowAsync());
        await page.Keyboard.PressAsync("x");
        await Assertions.Expect(page.Locator("#selected-count")).ToHaveTextAsync("1");
        await page.Keyboard.PressAsync("x");
        await Assertions.Expect(page.Locator("#bulk-bar")).ToHaveCountAsync(0);
        var name = (await page.Locator("tr.lead-row").Nth(1).Locator(".lead-name").TextContentAsync())!.Trim();
        await page.Locator("tr.lead-row").Nth(1).FocusAsync();
        // At 1280 px Enter shows the lead in the reading pane; Enter again opens its page.
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#pane-title")).ToHaveTextAsync(name);
        // The pane hands the focus back to its row once it has rendered; the second Enter is the row's.
        await Assertions.Expect(page.Locator("tr.lead-row").Nth(1)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("/leads/", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#lead-title")).ToContainTextAsync(name);
        await Assertions.Expect(page.Locator(".mud-nav-item.nav-current")).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("u");
        await page.WaitForURLAsync(url => url.Contains("owner=me", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator(".mud-nav-item.nav-current")).ToHaveTextAsync("My leads");

        // "?" lists the keys.
        await Assertions.Expect(page.Locator("tr.lead-row")).ToHaveCountAsync(3);
        await page.Keyboard.PressAsync("?");
        await Assertions.Expect(page.Locator("#shortcut-list")).ToContainTextAsync("Select or unselect the lead");
    }

    [BrowserFact]
    public async Task Leaving_the_mapping_editor_with_unsaved_changes_asks_first()
    {
        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync("/mappings");
        await SignInPage.WaitForCircuitAsync(page);
        await page.Locator(".copy-preset button").First.ClickAsync();
        await page.Locator(".preset-hubspot-contacts").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/mappings/new/hubspot-contacts$"));
        var editor = page.Url;
        await page.Locator(".profile-name input").FillAsync($"Unsaved {Guid.NewGuid():N}"[..20]);

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Dashboard" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Leave and lose them?")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Stay" }).ClickAsync();
        Assert.Equal(editor, page.Url);

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Dashboard" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Leave" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/dashboard", StringComparison.Ordinal));
    }

    private sealed class ChipContrast
    {
        public string Text { get; set; } = "";
        public double Ratio { get; set; }
    }
}
