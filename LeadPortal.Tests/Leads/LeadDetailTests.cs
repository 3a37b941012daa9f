using Bunit;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Leads;

/// <summary>On SQLite; <see cref="LeadDetailPostgresTests"/> runs the same on PostgreSQL.</summary>
public class LeadDetailTests : BunitTestBase
{
    public LeadDetailTests() : base(StoreProvider.Sqlite)
    {
    }

    protected LeadDetailTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task Shows_the_parsed_fields_and_the_raw_payload()
    {
        var lead = await Store.AddLeadAsync("appsource-contact-me", new DateTime(2026, 1, 5, 8, 30, 0, DateTimeKind.Utc));

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Tomás Ó Briain", cut.Find("#lead-title").TextContent);
            Assert.Contains("2026-01-05 08:30:00", cut.Find("#lead-received").TextContent);
            Assert.Contains("Contact me", cut.Markup);
            Assert.Contains("contoso.crm-addon", cut.Markup);
            Assert.Contains("\"LeadSource\": \"AppSource-PLT|contoso.crm-addon\"", cut.Find("#raw-json").TextContent);
        });
    }

    [StoreFact]
    public async Task A_do_not_contact_lead_carries_a_warning()
    {
        var lead = await Store.AddLeadAsync("do-not-contact", DateTime.UtcNow);

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() => Assert.Contains("Do not contact", cut.Find("#dnc-warning").TextContent));
    }

    [StoreFact]
    public async Task Changing_the_status_records_who_changed_it()
    {
        var lead = await Store.AddLeadAsync("marketplace-install", DateTime.UtcNow);
        var user = await Store.AddUserAsync("sam@contoso.example", "Sam Sales");
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id));
        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));
        cut.WaitForAssertion(() => cut.Find("#no-activity"));

        var select = cut.FindComponent<MudBlazor.MudSelect<LeadStatus>>();
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(LeadStatus.Qualified));

        cut.WaitForAssertion(() => Assert.Contains("Sam Sales changed the status from New to Qualified", cut.Find("#activity").TextContent));
        var stored = await Store.QueryAsync(db => db.LeadActivities.SingleAsync());
        Assert.Equal(user.Id, stored.UserId);
        Assert.Equal(LeadStatus.Qualified, await Store.QueryAsync(db => db.Leads.Select(l => l.Status).SingleAsync()));
    }

    [StoreFact]
    public async Task A_note_is_added_to_the_activity()
    {
        var lead = await Store.AddLeadAsync("marketplace-install", DateTime.UtcNow);
        var user = await Store.AddUserAsync("kim@contoso.example", "Kim");
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id));
        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));
        cut.WaitForAssertion(() => cut.Find("#no-activity"));

        var note = cut.FindComponents<MudBlazor.MudTextField<string>>().Single(f => f.Instance.Class == "note-field");
        await cut.InvokeAsync(() => note.Instance.ValueChanged.InvokeAsync("Called Maja, demo on Tuesday."));
        cut.Find("button#add-note").Click();

        cut.WaitForAssertion(() => Assert.Contains("Called Maja, demo on Tuesday.", cut.Find("#activity").TextContent));
        Assert.Contains("Kim added a note", cut.Find("#activity").TextContent);
    }

    [StoreFact]
    public async Task A_follow_up_day_is_set_from_the_work_panel()
    {
        var lead = await Store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow);
        var user = await Store.AddUserAsync("kim@contoso.example", "Kim");
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id));
        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));
        cut.WaitForAssertion(() => cut.Find("#no-activity"));

        var picker = cut.FindComponent<MudBlazor.MudDatePicker>();
        await cut.InvokeAsync(() => picker.Instance.DateChanged.InvokeAsync(new DateTime(2026, 12, 3)));

        cut.WaitForAssertion(() => Assert.Contains("Kim set a follow-up for Thu 3 Dec 2026", cut.Find("#activity").TextContent));
        Assert.Equal(new DateOnly(2026, 12, 3), await Store.QueryAsync(db => db.Leads.Where(l => l.Id == lead.Id).Select(l => l.FollowUpOn).SingleAsync()));
    }

    [StoreFact]
    public void An_unknown_lead_says_so()
    {
        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, 424242));

        cut.WaitForAssertion(() => Assert.Contains("Lead 424242 does not exist", cut.Find("#lead-not-found").TextContent));
    }
}

[PostgresStore]
public sealed class LeadDetailPostgresTests() : LeadDetailTests(StoreProvider.Postgres);
