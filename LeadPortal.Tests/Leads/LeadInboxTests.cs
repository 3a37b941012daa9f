using LeadPortal.Data;
using Bunit;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Leads;

/// <summary>On SQLite; <see cref="LeadInboxPostgresTests"/> runs the same on PostgreSQL.</summary>
public class LeadInboxTests : BunitTestBase
{
    public LeadInboxTests() : base(StoreProvider.Sqlite)
    {
    }

    protected LeadInboxTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public void With_no_leads_the_inbox_says_they_will_appear_here()
    {
        var cut = RenderPage<LeadInbox>();

        cut.WaitForAssertion(() => Assert.Contains("No leads yet", cut.Find("#inbox-empty").TextContent));
    }

    [StoreFact]
    public async Task Typing_a_name_without_its_accents_in_the_search_box_finds_the_lead()
    {
        await Store.AddLeadAsync("marketplace-install", DateTime.UtcNow.AddHours(-2));
        await Store.AddLeadAsync("marketplace-install", DateTime.UtcNow.AddHours(-1), l => (l.FirstName, l.LastName, l.Email) = ("Jürgen", "Müller", "j.mueller@tailspin.example"));

        var cut = RenderPage<LeadInbox>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tr.lead-row").Count), TimeSpan.FromSeconds(10));
        await cut.InvokeAsync(() => cut.Find("input#search").Input("muller"));

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("tr.lead-row");
            Assert.Single(rows);
            Assert.Contains("Jürgen Müller", rows[0].TextContent);
        }, TimeSpan.FromSeconds(10));
    }

    [StoreFact]
    public async Task Lists_stored_leads_newest_first_with_do_not_contact_marked()
    {
        await Store.AddLeadAsync("do-not-contact", DateTime.UtcNow.AddHours(-2));
        await Store.AddLeadAsync("marketplace-install", DateTime.UtcNow.AddHours(-1));
        await Store.AddLeadAsync("microsoft-test-lead", DateTime.UtcNow);

        var cut = RenderPage<LeadInbox>();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("tr.lead-row");
            Assert.Equal(2, rows.Count);
            Assert.Contains("Maja Lindqvist", rows[0].TextContent);
            Assert.Contains("Priya Nair", rows[1].TextContent);
            Assert.Contains("dnc-row", rows[1].ClassName);
            Assert.Contains("Do not contact", rows[1].TextContent);
            Assert.Equal("2 leads", cut.Find("#lead-total").TextContent);
        });
    }

    [StoreFact]
    public async Task A_status_a_colleague_changed_meanwhile_is_not_overwritten_from_the_grid_and_the_user_reads_the_value_now()
    {
        var lead = await Store.AddLeadAsync("marketplace-install", DateTime.UtcNow.AddHours(-1));
        var sam = await Store.AddUserAsync("sam@contoso.example", "Sam");
        var kim = await Store.AddUserAsync("kim@contoso.example", "Kim");
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, sam.Id));
        var snackbars = Render<MudBlazor.MudSnackbarProvider>();
        var cut = RenderPage<LeadInbox>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr.lead-row")));

        // The row shows New; Kim makes it Qualified and takes it before Sam picks Contacted in it.
        var workflow = Services.GetRequiredService<LeadWorkflow>();
        await workflow.ChangeStatusAsync(lead.Id, LeadStatus.Qualified, kim.Id);
        await workflow.AssignOwnerAsync(lead.Id, kim.Id, kim.Id);
        var cell = cut.FindComponent<GridStatusCell>();
        await cut.InvokeAsync(() => cell.FindComponent<MudBlazor.MudSelect<LeadStatus>>().Instance.ValueChanged.InvokeAsync(LeadStatus.Contacted));

        snackbars.WaitForAssertion(() => Assert.Contains(
            "A colleague changed Maja Lindqvist meanwhile; nothing was saved. The status is now Qualified and the owner Kim.", snackbars.Markup));
        Assert.Equal(LeadStatus.Qualified, await Store.QueryAsync(db => db.Leads.Where(l => l.Id == lead.Id).Select(l => l.Status).SingleAsync()));
        Assert.Equal(0, await Store.QueryAsync(db => db.LeadActivities.CountAsync(a => a.UserId == sam.Id)));
        cut.WaitForAssertion(() => Assert.Equal(LeadStatus.Qualified, cut.FindComponent<GridStatusCell>().Instance.Row.Status));
    }

    [StoreFact]
    public async Task Assign_to_me_on_a_row_is_one_timeline_entry_and_undo_puts_the_owner_back()
    {
        var lead = await Store.AddLeadAsync("marketplace-install", DateTime.UtcNow.AddHours(-1));
        var sam = await Store.AddUserAsync("sam@contoso.example", "Sam");
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, sam.Id));
        var snackbars = Render<MudBlazor.MudSnackbarProvider>();
        var cut = RenderPage<LeadInbox>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr.lead-row")));

        await cut.InvokeAsync(() => cut.FindAll("button.assign-to-me")[0].Click());

        snackbars.WaitForAssertion(() => Assert.Contains("Maja Lindqvist: assigned to you.", snackbars.Markup));
        Assert.Equal(sam.Id, await Store.QueryAsync(db => db.Leads.Where(l => l.Id == lead.Id).Select(l => l.OwnerId).SingleAsync()));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("button.assign-to-me")));
        Assert.Equal([LeadActivityKind.OwnerChanged], await Store.QueryAsync(db => db.LeadActivities.Select(a => a.Kind).ToListAsync()));

        await snackbars.InvokeAsync(() => snackbars.FindAll("button").Single(b => b.TextContent.Contains("Undo")).Click());

        snackbars.WaitForAssertion(() => Assert.Contains("Maja Lindqvist: unassigned again.", snackbars.Markup));
        Assert.Null(await Store.QueryAsync(db => db.Leads.Where(l => l.Id == lead.Id).Select(l => l.OwnerId).SingleAsync()));
    }

    [StoreFact]
    public async Task The_filter_in_the_url_decides_what_is_listed()
    {
        await Store.AddLeadAsync("marketplace-install", DateTime.UtcNow.AddHours(-1));
        await Store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow);
        await Store.AddLeadAsync("microsoft-test-lead", DateTime.UtcNow);
        Navigation.NavigateTo("/?country=SE&test=true");

        var cut = RenderPage<LeadInbox>();

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("tr.lead-row"));
            Assert.Contains("Maja Lindqvist", row.TextContent);
        });
    }

    [StoreFact]
    public async Task A_link_to_a_later_page_opens_that_page_with_the_total_in_the_header()
    {
        for (var i = 0; i < 23; i++)
        {
            var n = i;
            await Store.AddLeadAsync("marketplace-install", DateTime.UtcNow.AddMinutes(-n), l => l.FirstName = $"Lead{n:00}");
        }

        Navigation.NavigateTo("/?page=3&size=10");

        var cut = RenderPage<LeadInbox>();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("tr.lead-row");
            Assert.Equal(3, rows.Count);
            Assert.Contains("Lead20", rows[0].TextContent);
            Assert.Contains("Lead22", rows[2].TextContent);
            Assert.Equal("23 leads", cut.Find("#lead-total").TextContent);
        });
        Assert.Contains("page=3", Navigation.Uri, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Test_leads_show_when_asked_for()
    {
        await Store.AddLeadAsync("microsoft-test-lead", DateTime.UtcNow);
        Navigation.NavigateTo("/?test=true");

        var cut = RenderPage<LeadInbox>();

        cut.WaitForAssertion(() => Assert.Contains("Test", Assert.Single(cut.FindAll("tr.lead-row")).TextContent));
    }

    [StoreFact]
    public async Task A_lead_that_arrives_while_the_inbox_is_open_appears_without_a_reload()
    {
        var cut = RenderPage<LeadInbox>();
        cut.WaitForAssertion(() => cut.Find("#inbox-empty"));

        var lead = await Store.AddLeadAsync("test-drive", DateTime.UtcNow);
        Services.GetRequiredService<LeadFeed>().Publish([new LeadArrival(lead.Id, false)]);

        cut.WaitForAssertion(() => Assert.Contains("Ben Okafor", Assert.Single(cut.FindAll("tr.lead-row")).TextContent));
    }

    [StoreFact]
    public async Task A_new_lead_behind_another_sort_is_announced_in_a_bar()
    {
        await Store.AddLeadAsync("marketplace-install", DateTime.UtcNow.AddHours(-1));
        Navigation.NavigateTo("/?sort=country&dir=asc");
        var cut = RenderPage<LeadInbox>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr.lead-row")));

        var lead = await Store.AddLeadAsync("test-drive", DateTime.UtcNow);
        Services.GetRequiredService<LeadFeed>().Publish([new LeadArrival(lead.Id, false)]);

        cut.WaitForAssertion(() => Assert.Contains("1 new lead arrived", cut.Find("#new-leads-bar").TextContent));
    }

}

[PostgresStore]
public sealed class LeadInboxPostgresTests() : LeadInboxTests(StoreProvider.Postgres);

/// <summary>What the inbox shows when its SQLite file is not a database.</summary>
public sealed class LeadInboxStoreErrorTests : BunitTestBase
{
    [Fact]
    public void A_database_error_is_shown_as_a_readable_message()
    {
        Store.Dispose();
        File.WriteAllText(Store.Path!, "this is not a database");

        var cut = RenderPage<LeadInbox>();

        cut.WaitForAssertion(() => Assert.Contains("could not be loaded", cut.Find("#inbox-error").TextContent));
    }
}
