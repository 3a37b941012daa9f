using LeadPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DialogFocusBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public async Task The_export_dialog_keeps_Tab_inside_closes_on_Escape_and_gives_focus_back_to_the_export_button()
    {
        using (var http = browser.App.CreateClient())
        {
            await http.PostLeadAsync(SampleLeads.Unique());
        }

        var admin = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, LeadPortalFactory.AdminEmail)], "test"));
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<LeadPortal.Mapping.MappingProfileStore>(browser.App.Services)
            .CopyPresetAsync(LeadPortal.Mapping.Presets.HubSpotContacts, admin);

        var page = await browser.NewPageAsync(1280, 900);
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync("/leads");
        await page.Locator("tr.lead-row").First.WaitForAsync();
        await SignInPage.WaitForCircuitAsync(page);

        await page.Locator("#export").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => !document.querySelector('.mud-dialog .mud-progress-linear-indeterminate, .mud-dialog .mud-skeleton')");

        // Through the mapping choice first: its list opens outside the dialog and hands focus back when it closes.
        await page.Locator("#export-profile .mud-select").First.ClickAsync();
        await page.GetByRole(AriaRole.Option).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option)).ToHaveCountAsync(0);

        var outside = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            await page.Keyboard.PressAsync(i % 5 == 4 ? "Shift+Tab" : "Tab");
            var where = await page.EvaluateAsync<string>("() => document.activeElement?.closest('.mud-dialog') ? '' : (document.activeElement?.outerHTML || 'none').slice(0, 120)");
            if (where.Length > 0)
            {
                outside.Add(where);
            }
        }

        Assert.True(outside.Count == 0, "Focus left the dialog: " + string.Join(" | ", outside.Distinct()));
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#export")).ToBeFocusedAsync();
    }
}
