using LeadPortal.Assignment;
using LeadPortal.Data;

namespace LeadPortal.Tests.Assignment;

public sealed class AssignmentEngineTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);

    private static Candidate User(string name, bool disabled = false, DateTime? away = null) =>
        new(name, name, $"{name.ToLowerInvariant()}@leadportal.test", disabled, away);

    private static RoutingRule Rule(int id, string name, AssignmentMode mode, IEnumerable<Candidate> users, string? actions = null, string? offers = null,
        string? countries = null, string? sources = null) =>
        new(id, name, RuleCriteria.Parse(actions, offers, countries, sources), mode,
            users.Select((u, i) => new RuleMember(i, u.Id, u.Email!)).ToList(), -1);

    private static RoutingLead Lead(long id, string action = "PLT", string offer = "contoso.crm", string country = "SE", string source = "AppSource") =>
        new(id, action, offer, country, source);

    [Fact]
    public void Round_robin_over_three_users_and_thirty_leads_gives_each_ten()
    {
        Candidate[] users = [User("Anna"), User("Bo"), User("Cleo")];
        var engine = new AssignmentEngine([Rule(1, "Everyone", AssignmentMode.RoundRobin, users)], users);

        var owners = Enumerable.Range(1, 30).Select(i => engine.Route(Lead(i), Now).User!.Id).ToList();

        Assert.Equal([10, 10, 10], owners.GroupBy(o => o).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(["Anna", "Bo", "Cleo", "Anna"], owners.Take(4));
        Assert.Equal(2, engine.Cursors[1]);
    }

    [Fact]
    public void Round_robin_skips_disabled_deleted_and_away_users_and_carries_on_from_its_cursor()
    {
        Candidate[] users = [User("Anna"), User("Bo", disabled: true), User("Cleo", away: Now.AddDays(3)), User("Dan")];
        var rule = Rule(1, "Team", AssignmentMode.RoundRobin, users) with { LastPosition = 0 };
        // Eve is in the rule but no longer a user.
        rule = rule with { Members = [.. rule.Members, new RuleMember(4, "gone", "eve@leadportal.test")] };
        var engine = new AssignmentEngine([rule], users);

        var decisions = Enumerable.Range(1, 4).Select(i => engine.Route(Lead(i), Now)).ToList();

        Assert.Equal(["Dan", "Anna", "Dan", "Anna"], decisions.Select(d => d.User!.Id));
        Assert.All(decisions, d => Assert.Equal("eve@leadportal.test is not a user (deleted, or never added)", d.Problem));
        // Once Cleo is back she is in the turn again.
        var later = new AssignmentEngine([rule], users).Route(Lead(9), Now.AddDays(4));
        Assert.Equal("Cleo", later.User!.Id);
    }

    [Fact]
    public void The_first_matching_rule_wins_and_an_empty_criterion_matches_everything()
    {
        Candidate[] users = [User("Anna"), User("Bo"), User("Cleo")];
        var engine = new AssignmentEngine(
        [
            Rule(1, "Nordics Contact me", AssignmentMode.Single, [users[0]], actions: "PLT", countries: "SE, NO"),
            Rule(2, "Portal", AssignmentMode.Single, [users[1]], sources: "AzurePortal", offers: "contoso.vm,contoso.db"),
            Rule(3, "DNC", AssignmentMode.LeaveUnassigned, [], actions: "DNC"),
            Rule(4, "Rest", AssignmentMode.Single, [users[2]]),
        ], users);

        Assert.Equal("Anna", engine.Route(Lead(1, country: "NO"), Now).User?.Id);
        Assert.Equal("Cleo", engine.Route(Lead(2, country: "DE"), Now).User?.Id);
        Assert.Equal("Cleo", engine.Route(Lead(3, action: "INS"), Now).User?.Id);
        Assert.Equal("Bo", engine.Route(Lead(4, action: "Create", source: "AzurePortal", offer: "contoso.db"), Now).User?.Id);
        Assert.Equal("Cleo", engine.Route(Lead(5, action: "Create", source: "AzurePortal", offer: "contoso.other"), Now).User?.Id);
        var dnc = engine.Route(Lead(6, action: "DNC"), Now);
        Assert.Equal((RoutingOutcome.LeftUnassigned, "DNC"), (dnc.Outcome, dnc.Rule!.Name));
        // Codes and sources in any case, and SPZA is AppSource's old name.
        Assert.Equal("Anna", engine.Route(new RoutingLead(7, "plt", "x.y", "se", "SPZA"), Now).User?.Id);
    }

    [Fact]
    public void A_single_user_who_is_away_leaves_the_lead_unassigned_quietly_but_one_deleted_or_disabled_is_a_problem()
    {
        var away = User("Anna", away: Now.AddHours(1));
        var disabled = User("Bo", disabled: true);
        var engine = new AssignmentEngine(
        [
            Rule(1, "Anna's", AssignmentMode.Single, [away], countries: "SE"),
            Rule(2, "Bo's", AssignmentMode.Single, [disabled], countries: "NO"),
            Rule(3, "Gone", AssignmentMode.Single, [User("Eve")], countries: "DK"),
            Rule(4, "Nobody", AssignmentMode.RoundRobin, [], countries: "FI"),
        ], [away, disabled]);

        var se = engine.Route(Lead(1, country: "SE"), Now);
        Assert.Equal((RoutingOutcome.NobodyAvailable, null), (se.Outcome, se.Problem));
        Assert.Equal(RoutingOutcome.Assigned, engine.Route(Lead(1, country: "SE"), Now.AddHours(2)).Outcome);
        Assert.Equal((RoutingOutcome.Broken, "Bo is disabled"), (engine.Route(Lead(2, country: "NO"), Now) is var no ? (no.Outcome, no.Problem) : default));
        Assert.Equal(RoutingOutcome.Broken, engine.Route(Lead(3, country: "DK"), Now).Outcome);
        Assert.Equal("it names no users", engine.Route(Lead(4, country: "FI"), Now).Problem);
        Assert.Equal(RoutingOutcome.NoRule, engine.Route(Lead(5, country: "DE"), Now).Outcome);
    }

    [Fact]
    public void Configured_rules_find_their_users_by_address_in_any_case()
    {
        var anna = User("Anna");
        var rule = new RoutingRule(1, "Config", RuleCriteria.Everything, AssignmentMode.Single, [new RuleMember(0, null, " ANNA@leadportal.test ")], -1);

        Assert.Equal("Anna", new AssignmentEngine([rule], [anna]).Route(Lead(1), Now).User?.Id);
    }

    [Fact]
    public void The_checks_name_shadowed_rules_missing_and_disabled_users_and_empty_round_robins()
    {
        Candidate[] users = [User("Anna"), User("Bo", disabled: true), User("Cleo", away: Now.AddDays(1))];
        var warnings = RuleChecks.Check(
        [
            Rule(1, "Sweden", AssignmentMode.RoundRobin, [users[0], users[2]], countries: "SE"),
            Rule(2, "Sweden Contact me", AssignmentMode.Single, [users[0]], actions: "PLT", countries: "SE"),
            Rule(3, "Nordics", AssignmentMode.Single, [users[0]], countries: "SE,NO"),
            Rule(4, "Disabled only", AssignmentMode.RoundRobin, [users[1]], countries: "DE"),
            Rule(5, "Everything", AssignmentMode.RoundRobin, []),
            Rule(6, "After everything", AssignmentMode.Single, [User("Eve")], actions: "INS"),
        ], users, Now);

        string[] expected =
        [
            "Sweden: Cleo is away until 2026-12-08 09:00 UTC and gets no leads meanwhile.",
            "Sweden Contact me: Never matches: \"Sweden\" comes first and takes every lead this rule would.",
            "Disabled only: Bo is disabled and gets no leads.",
            "Disabled only: Nobody in its round robin can take leads: they stay unassigned.",
            "Everything: Has no users: its leads stay unassigned.",
            "After everything: Never matches: \"Everything\" comes first and takes every lead.",
            "After everything: eve@leadportal.test is not a user (deleted, or never added).",
        ];
        Assert.Equal(expected, warnings.Select(w => $"{w.RuleName}: {w.Message}"));
        // "Nordics" takes NO as well, so "Sweden" does not shadow it.
        Assert.DoesNotContain(warnings, w => w.RuleName == "Nordics");
    }
}
