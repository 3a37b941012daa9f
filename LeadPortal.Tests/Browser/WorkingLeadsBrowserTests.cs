using LeadPortal.Accounts;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

/// <summary>Issue 26 as a sales user works it: a reason to disqualify, a logged call, a task, "Assign to me" in the grid.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WorkingLeadsBrowserTests(BrowserApp browser) : IBrowserTest
{
    public BrowserApp Fixture => browser;

    [BrowserFact]
    public Task A_sales_user_disqualifies_as_spam_logs_a_call_adds_a_task_for_tomorrow_and_assigns_a_lead_to_themselves() => WorkAsync(1280, 900);

    [BrowserFact]
    public Task On_a_phone_a_sales_user_disqualifies_as_spam_logs_a_call_adds_a_task_for_tomorrow_and_assigns_a_lead_to_themselves() => WorkAsync(390, 844);

    private async Task WorkAsync(int width, int height)
    {
        var email = $"work.{Guid.NewGuid():N}"[..16] + "@leadportal.test";
        await browser.CreateUserAsync(email, "Sales-Passw0rd!", Roles.Sales);
        using var http = browser.App.CreateClient();
        var spam = await PostAsync(http);
        var called = await PostAsync(http);
        var mine = await PostAsync(http);

        var page = await browser.NewPageAsync(width, height);
        await SignInPage.SignInAsync(page, email, "Sales-Passw0rd!");

        // Disqualify as spam: the reason is required before anything is saved.
        await page.GotoAsync($"/leads/{spam}");
        await SignInPage.WaitForCircuitAsync(page);
        await page.Locator("#status-field").ClickAsync();
        await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "Disqualified" }).ClickAsync();
        await page.Locator("#status-save").ClickAsync();
        await Assertions.Expect(page.Locator("#reason-missing")).ToContainTextAsync("Choose a reason");
        Assert.Equal(LeadStatus.New, await StatusAsync(spam));
        await page.GetByRole(AriaRole.Radio, new PageGetByRoleOptions { Name = "Spam, abuse or phishing" }).CheckAsync();
        await page.Locator("#status-save").ClickAsync();
        await Assertions.Expect(page.Locator("#lead-reason")).ToContainTextAsync("Spam, abuse or phishing");
        await Assertions.Expect(page.Locator("#activity")).ToContainTextAsync("changed the status from New to Disqualified (Spam, abuse or phishing)");

        // Log a call with its outcome, then a task for tomorrow 10:00 in the browser's zone (Europe/Stockholm).
        await page.GotoAsync($"/leads/{called}");
        await SignInPage.WaitForCircuitAsync(page);
        // The note first: choosing the outcome is a round trip, so the note has reached the server before Log is pressed.
        await page.Locator("textarea#contact-note").FillAsync("Wants a demo next week.");
        await page.Locator("textarea#contact-note").PressAsync("Tab");
        await page.Locator("#contact-outcome").ClickAsync();
        await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "Reached" }).ClickAsync();
        await Assertions.Expect(page.Locator("#contact-outcome")).ToContainTextAsync("Reached");
        await page.Locator("#log-contact-save").ClickAsync();
        await Assertions.Expect(page.Locator("#activity")).ToContainTextAsync("logged a call: Reached");
        await Assertions.Expect(page.Locator("#activity")).ToContainTextAsync("Wants a demo next week.");

        var stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
        var now = browser.App.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var tomorrow = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, stockholm)).AddDays(1);
        var text = $"Send the demo link {Guid.NewGuid():N}"[..28];
        await page.Locator("input#task-text").FillAsync(text);
        await page.Locator("#task-day input").FillAsync(tomorrow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#task-day input").PressAsync("Tab");
        await page.Locator("#task-time input").FillAsync("10:00");
        await page.Locator("#task-time input").PressAsync("Tab");
        await page.Locator("#add-task").ClickAsync();
        var due = tomorrow.ToDateTime(new TimeOnly(10, 0)).ToString("ddd d MMM yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("#open-tasks")).ToContainTextAsync($"Due {due}");

        if (width >= 1280)
        {
            await page.Locator("#nav-my-tasks").ClickAsync();
        }
        else
        {
            await page.GotoAsync("/tasks");
        }

        await Assertions.Expect(page.Locator("#tasks-later")).ToContainTextAsync(text);
        await Assertions.Expect(page.Locator("#tasks-later .my-task", new PageLocatorOptions { HasText = text }))
            .ToContainTextAsync(tomorrow.ToDateTime(new TimeOnly(10, 0)).ToString("ddd d MMM HH:mm", System.Globalization.CultureInfo.InvariantCulture));

        // Assign a lead to themselves from its grid row (on a phone the button is in the row's card).
        await page.GotoAsync($"/leads?ids={mine}");
        await SignInPage.WaitForCircuitAsync(page);
        var row = page.Locator($"tr.lead-row:has(a[href^='/leads/{mine}?'])");
        await row.Locator("button.assign-to-me:visible").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("assigned to you");
        await Assertions.Expect(page.Locator(".mud-snackbar button", new PageLocatorOptions { HasText = "Undo" })).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("button.assign-to-me")).ToHaveCountAsync(0);
        Assert.Equal(email, await browser.App.QueryAsync(db => db.Leads.Where(l => l.Id == mine).Select(l => l.Owner!.Email).SingleAsync()));
    }

    private static async Task<long> PostAsync(HttpClient http) =>
        long.Parse((await (await http.PostLeadAsync(SampleLeads.Unique())).ReadReceiptAsync()).Id, System.Globalization.CultureInfo.InvariantCulture);

    private Task<LeadStatus> StatusAsync(long id) => browser.App.QueryAsync(db => db.Leads.Where(l => l.Id == id).Select(l => l.Status).SingleAsync());
}
