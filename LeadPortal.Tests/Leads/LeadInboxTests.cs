using LeadPortal.Data;
using Bunit;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
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
