using Bunit;
using LeadPortal.Assignment;
using LeadPortal.Data;
using LeadPortal.Tests.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Assignment;

/// <summary>Admin › Assignment as an admin sees it. On SQLite; <see cref="AssignmentPagePostgresTests"/> on PostgreSQL.</summary>
public class AssignmentPageTests : AppBunitBase
{
    public AssignmentPageTests() : base(StoreProvider.Sqlite)
    {
    }

    protected AssignmentPageTests(StoreProvider provider) : base(provider)
    {
    }

    /// <summary>Stored as intake leaves them, but without an event: nothing routes them, so only the preview says where they would go.</summary>
    private async Task AddLeadsAsync(params (string First, string Action, string Country)[] leads)
    {
        await using var db = await App.CreateDbContextAsync();
        // From the app's own clock: leads of the last few hours, whatever day the test runs.
        var at = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<TimeProvider>(App.Services).GetUtcNow().UtcDateTime.AddHours(-6);
        foreach (var (first, action, country) in leads)
        {
            at = at.AddMinutes(5);
            db.Leads.Add(new Lead
            {
                ReceivedAt = at, FirstName = first, LastName = "Test", ActionCode = action, Country = country, Source = "AppSource",
                OfferId = "contoso.crm", BodyHash = Guid.NewGuid().ToByteArray(), Payload = new LeadPayload { Body = "{}" },
            });
        }

        await db.SaveChangesAsync();
    }

    [StoreFact]
    public async Task The_preview_shows_where_the_last_leads_would_go_newest_first()
    {
        var anna = await App.AddUserAsync("anna@leadportal.test", "Anna");
        var bo = await App.AddUserAsync("bo@leadportal.test", "Bo");
        var cleo = await App.AddUserAsync("cleo@leadportal.test", "Cleo");
        await App.AddRuleAsync("Nordics Contact me", AssignmentMode.Single, [anna], r => (r.Actions, r.Countries) = (["PLT"], "SE, NO"));
        await App.AddRuleAsync("Do not contact", AssignmentMode.LeaveUnassigned, [], r => r.Actions = ["DNC"]);
        await App.AddRuleAsync("Installs", AssignmentMode.RoundRobin, [bo, cleo], r => r.Actions = ["INS"]);
        await AddLeadsAsync(("Oskar", "PLT", "SE"), ("Ida", "INS", "DE"), ("Jon", "INS", "NO"), ("Dora", "DNC", "SE"), ("Pia", "PLT", "DE"), ("Ivo", "INS", "FR"));

        var cut = RenderPage<AssignmentPage>();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("#preview-table tbody tr");
            Assert.Equal(
            [
                "Ivo Test → Installs → Bo",
                "Pia Test → — → Unassigned (no rule matches)",
                "Dora Test → Do not contact → Unassigned (the rule says so)",
                "Jon Test → Installs → Cleo",
                "Ida Test → Installs → Bo",
                "Oskar Test → Nordics Contact me → Anna",
            ], rows.Select(r => $"{r.QuerySelector("td a")!.TextContent} → {r.Children[4].TextContent.Trim()} → {r.QuerySelector(".preview-target")!.TextContent}"));
            Assert.Contains("Bo: 2", cut.Find("#preview-summary").TextContent);
            // The page's parts load one after another: each is waited for, not read at the preview's moment.
            var ruleRows = cut.FindAll("#rule-table tbody tr");
            Assert.Equal(["Nordics Contact me", "Do not contact", "Installs"], ruleRows.Select(r => r.QuerySelector(".rule-name-text")!.TextContent));
            Assert.Equal("Contact me · from NO, SE", ruleRows[0].QuerySelector(".rule-criteria")!.TextContent);
            Assert.Contains("6 leads are unassigned", cut.Find("#unassigned-count").TextContent);
        });
        Assert.Empty(cut.FindAll(".rule-warnings"));
        // The preview changed nothing.
        Assert.Equal(0, await App.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Leads, l => l.OwnerId != null)));
    }

    [StoreFact]
    public async Task Warns_about_a_shadowed_rule_an_unknown_address_and_an_empty_round_robin_and_moving_the_rule_clears_the_shadow()
    {
        var anna = await App.AddUserAsync("anna@leadportal.test", "Anna");
        await App.Services.GetRequiredService<AssignmentRules>().SyncConfigurationAsync(new AssignmentOptions
        {
            Rules = [new ConfiguredRule { Name = "Config team", Mode = AssignmentMode.RoundRobin, Users = "nobody@leadportal.test", Countries = "DE" }],
        });
        await App.AddRuleAsync("Everything to Anna", AssignmentMode.Single, [anna]);
        await App.AddRuleAsync("Sweden to Anna", AssignmentMode.Single, [anna], r => r.Countries = "SE");

        var cut = RenderPage<AssignmentPage>();

        cut.WaitForAssertion(() => Assert.Equal(
        [
            "Config team: nobody@leadportal.test is not a user (deleted, or never added).",
            "Config team: Nobody in its round robin can take leads: they stay unassigned.",
            "Sweden to Anna: Never matches: \"Everything to Anna\" comes first and takes every lead.",
        ], cut.FindAll(".rule-warnings li").Select(li => li.TextContent)));
        var rows = cut.FindAll("#rule-table tbody tr");
        Assert.Equal(["Config team", "Everything to Anna", "Sweden to Anna"], rows.Select(r => r.QuerySelector(".rule-name-text")!.TextContent));
        // The configured rule is read-only and cannot be moved; the app's rules can.
        Assert.Empty(rows[0].QuerySelectorAll("button.edit-rule, button.delete-rule, button.move-rule-up"));
        Assert.Contains("Configuration", rows[0].TextContent);
        Assert.Contains("(not a user)", rows[0].QuerySelector(".rule-user-chip")!.TextContent);
        Assert.Contains("Needs attention", rows[2].TextContent);

        await cut.InvokeAsync(() => cut.FindAll("#rule-table tbody tr")[2].QuerySelector("button.move-rule-up")!.Click());

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["Config team", "Sweden to Anna", "Everything to Anna"], cut.FindAll("#rule-table tbody tr").Select(r => r.QuerySelector(".rule-name-text")!.TextContent));
            Assert.DoesNotContain(cut.FindAll(".rule-warnings li"), li => li.TextContent.Contains("Never matches", StringComparison.Ordinal));
        });
    }
}

[PostgresStore]
public sealed class AssignmentPagePostgresTests() : AssignmentPageTests(StoreProvider.Postgres);
