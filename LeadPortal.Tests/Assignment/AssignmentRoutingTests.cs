using LeadPortal.Assignment;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Assignment;

/// <summary>New leads routed by the rules, through the real intake and dispatcher. On SQLite; <see cref="AssignmentRoutingPostgresTests"/> on PostgreSQL.</summary>
public class AssignmentRoutingTests : StoreAppTests
{
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    public AssignmentRoutingTests() : base(StoreProvider.Sqlite)
    {
    }

    protected AssignmentRoutingTests(StoreProvider provider) : base(provider)
    {
    }

    private LeadPortalFactory PinnedApp(IDictionary<string, string?>? settings = null, string? path = null) =>
        new(Provider, path ?? TempDatabase.NewPath(), settings) { Time = new FixedTime(Monday) };

    [StoreFact]
    public async Task Round_robin_over_three_users_gives_thirty_leads_ten_each()
    {
        await using var app = PinnedApp();
        string[] users = [await app.AddUserAsync("anna@leadportal.test"), await app.AddUserAsync("bo@leadportal.test"), await app.AddUserAsync("cleo@leadportal.test")];
        await app.AddRuleAsync("Everyone", AssignmentMode.RoundRobin, users);

        var ids = await app.PostLeadsAsync(30);
        var owners = await app.OwnersAfterRoutingAsync(ids);

        Assert.Equal([10, 10, 10], users.Select(u => owners.Values.Count(o => o == u)));
        // In arrival order, in turn.
        Assert.Equal(users.Concat(users), ids.Take(6).Select(id => owners[id]));
    }

    [StoreFact]
    public async Task Round_robin_skips_a_disabled_user_and_an_away_user()
    {
        await using var app = PinnedApp();
        var anna = await app.AddUserAsync("anna@leadportal.test");
        var bo = await app.AddUserAsync("bo@leadportal.test");
        var cleo = await app.AddUserAsync("cleo@leadportal.test");
        var dan = await app.AddUserAsync("dan@leadportal.test");
        await app.AddRuleAsync("Team", AssignmentMode.RoundRobin, [anna, bo, cleo, dan]);
        Assert.True((await app.Services.GetRequiredService<LeadPortal.Admin.UserAdmin>().SetDisabledAsync(app.Admin(), bo, true)).Succeeded);
        Assert.Null(await app.Services.GetRequiredService<Availability>().SetAwayUntilAsync(cleo, Monday.UtcDateTime.AddDays(5), app.Admin()));

        var owners = await app.OwnersAfterRoutingAsync(await app.PostLeadsAsync(10));

        Assert.Equal([5, 0, 0, 5], new[] { anna, bo, cleo, dan }.Select(u => owners.Values.Count(o => o == u)));
    }

    [StoreFact]
    public async Task The_round_robin_cursor_holds_across_a_restart()
    {
        // One store for both apps: the same file on SQLite, the same database on PostgreSQL (made here, so that the first
        // app does not drop it when it stops).
        var path = TempDatabase.NewPath();
        var store = Provider == StoreProvider.Postgres ? PostgresServer.Instance.NewDatabase() : null;
        var settings = store is null ? null : new Dictionary<string, string?> { ["ConnectionStrings:LeadPortal"] = store };
        try
        {
            string[] users;
            await using (var first = PinnedApp(settings, path))
            {
                users = [await first.AddUserAsync("anna@leadportal.test"), await first.AddUserAsync("bo@leadportal.test"), await first.AddUserAsync("cleo@leadportal.test")];
                await first.AddRuleAsync("Everyone", AssignmentMode.RoundRobin, users);
                var before = await first.OwnersAfterRoutingAsync(await first.PostLeadsAsync(2));
                Assert.Equal(users.Take(2), before.OrderBy(o => o.Key).Select(o => o.Value));
            }

            // Started a minute later: the first app's dispatch lease (30 s) has run out, as after a real restart.
            await using var second = new LeadPortalFactory(Provider, path, settings) { Time = new FixedTime(Monday.AddMinutes(1)) };
            var after = await second.OwnersAfterRoutingAsync(await second.PostLeadsAsync(2));

            Assert.Equal([users[2], users[0]], after.OrderBy(o => o.Key).Select(o => o.Value));
        }
        finally
        {
            if (store is not null)
            {
                PostgresServer.Instance.DropDatabase(store);
            }
        }
    }

    [StoreFact]
    public async Task Rules_declared_in_configuration_route_leads_and_are_read_only()
    {
        await using var app = PinnedApp(new Dictionary<string, string?>
        {
            ["Assignment:Rules:0:Name"] = "Nordics Contact me",
            ["Assignment:Rules:0:Actions"] = "PLT",
            ["Assignment:Rules:0:Countries"] = "SE,NO",
            ["Assignment:Rules:0:Users"] = "Nora@leadportal.test, sven@leadportal.test",
            ["Assignment:Rules:0:Mode"] = "RoundRobin",
            ["Assignment:Rules:1:Name"] = "Installs",
            ["Assignment:Rules:1:Actions"] = "INS",
            ["Assignment:Rules:1:Users"] = "ines@leadportal.test",
            ["Assignment:Rules:1:Mode"] = "Single",
        });
        // Users made after the start: configured rules find them by address when a lead is routed.
        var nora = await app.AddUserAsync("nora@leadportal.test");
        var sven = await app.AddUserAsync("sven@leadportal.test");
        var ines = await app.AddUserAsync("ines@leadportal.test");

        var ids = await app.PostLeadsAsync(4, i => AssignmentTestKit.Lead(action: i == 3 ? "INS" : "PLT", country: i == 2 ? "DE" : i == 1 ? "NO" : "SE"));
        var owners = await app.OwnersAfterRoutingAsync(ids);

        Assert.Equal([nora, sven, null, ines], ids.Select(id => owners[id]));
        var rules = app.Services.GetRequiredService<AssignmentRules>();
        var (rows, _) = await rules.ListAsync();
        Assert.Equal(["Nordics Contact me", "Installs"], rows.Select(r => r.Name));
        Assert.All(rows, r => Assert.True(r.FromConfiguration));
        var (_, errors) = await rules.SaveAsync(rows[0].Id, new RuleInput { Name = "Changed", Mode = AssignmentMode.LeaveUnassigned }, app.Admin());
        Assert.Contains(errors, e => e.Contains("declared in configuration", StringComparison.Ordinal));
        Assert.NotNull(await rules.DeleteAsync(rows[0].Id, app.Admin()));
    }

    [StoreFact]
    public async Task A_rule_whose_user_was_deleted_leaves_the_lead_unassigned_and_the_lead_is_still_stored()
    {
        await using var app = PinnedApp();
        var gone = await app.AddUserAsync("gone@leadportal.test");
        var rule = await app.AddRuleAsync("Gone's leads", AssignmentMode.Single, [gone]);
        Assert.True((await app.Services.GetRequiredService<LeadPortal.Admin.UserAdmin>().DeleteAsync(app.Admin(), gone)).Succeeded);

        var ids = await app.PostLeadsAsync(2);
        var owners = await app.OwnersAfterRoutingAsync(ids);

        Assert.Equal([null, null], owners.Values);
        Assert.Equal(2, await app.QueryAsync(db => db.Leads.CountAsync(l => ids.Contains(l.Id))));
        var (_, warnings) = await app.Services.GetRequiredService<AssignmentRules>().ListAsync();
        Assert.Equal(rule, Assert.Single(warnings).RuleId);
        Assert.Equal("gone@leadportal.test is not a user (deleted, or never added).", warnings[0].Message);
    }

    [StoreFact]
    public async Task An_automatic_assignment_is_an_activity_naming_the_rule()
    {
        await using var app = PinnedApp();
        var anna = await app.AddUserAsync("anna@leadportal.test", "Anna Berg");
        await app.AddRuleAsync("Nordics Contact me", AssignmentMode.Single, [anna], r => (r.Actions, r.Countries) = (["PLT"], "SE, NO"));

        var id = Assert.Single(await app.PostLeadsAsync(1));
        Assert.Equal(anna, (await app.OwnersAfterRoutingAsync([id]))[id]);

        var view = await app.Services.GetRequiredService<LeadWorkflow>().GetAsync(id);
        var activity = Assert.Single(view!.Activities);
        Assert.Equal("Automatically assigned to Anna Berg by rule 'Nordics Contact me'", $"{LeadLabels.ActivityActor(activity)} {LeadLabels.ActivityText(activity)}");
        Assert.Equal("Anna Berg", view.OwnerName);
    }

    [StoreFact]
    public async Task Applying_the_rules_to_the_unassigned_leads_routes_them_as_a_job()
    {
        await using var app = PinnedApp();
        var before = await app.PostLeadsAsync(5);
        await app.OwnersAfterRoutingAsync(before);
        var anna = await app.AddUserAsync("anna@leadportal.test");
        var bo = await app.AddUserAsync("bo@leadportal.test");
        await app.AddRuleAsync("Everyone", AssignmentMode.RoundRobin, [anna, bo]);
        var job = app.Services.GetRequiredService<AssignmentJob>();

        Assert.Null(await job.StartAsync(app.Admin()));
        await job.Current!.WaitAsync(TimeSpan.FromSeconds(60));

        var owners = await app.OwnersAfterRoutingAsync(before);
        Assert.Equal([anna, bo, anna, bo, anna], before.Select(id => owners[id]));
        var progress = await job.GetProgressAsync();
        Assert.Equal((false, 5, 5, 5, null), (progress.Running, progress.Total, progress.Processed, progress.Assigned, progress.Error));
        Assert.Equal(0, await app.Services.GetRequiredService<AssignmentRules>().UnassignedCountAsync());
    }

    [StoreFact]
    public async Task Reprocessing_routes_the_leads_still_unassigned_and_keeps_an_owner_someone_chose()
    {
        await using var app = PinnedApp();
        var ids = await app.PostLeadsAsync(4);
        await app.OwnersAfterRoutingAsync(ids);
        var anna = await app.AddUserAsync("anna@leadportal.test");
        var bo = await app.AddUserAsync("bo@leadportal.test");
        var cleo = await app.AddUserAsync("cleo@leadportal.test");
        await app.QueryAsync(db => db.Leads.Where(l => l.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(l => l.OwnerId, cleo)));
        await app.AddRuleAsync("Everyone", AssignmentMode.RoundRobin, [anna, bo]);
        var job = app.Services.GetRequiredService<LeadPortal.Admin.ReprocessJob>();

        Assert.Null(await job.StartAsync(app.Admin()));
        await job.Current!.WaitAsync(TimeSpan.FromSeconds(60));

        var owners = await app.OwnersAfterRoutingAsync(ids);
        Assert.Equal([anna, cleo, bo, anna], ids.Select(id => owners[id]));
        Assert.Equal(3, await app.QueryAsync(db => db.LeadActivities.CountAsync(a => a.Kind == LeadActivityKind.AutoAssigned)));
    }
}

[PostgresStore]
public sealed class AssignmentRoutingPostgresTests() : AssignmentRoutingTests(StoreProvider.Postgres);
