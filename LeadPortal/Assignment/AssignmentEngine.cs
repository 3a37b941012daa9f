using LeadPortal.Data;

namespace LeadPortal.Assignment;

/// <summary>A rule as the engine sees it: its criteria, its mode and its users in order (by id, or by address only).</summary>
public sealed record RoutingRule(int Id, string Name, RuleCriteria Criteria, AssignmentMode Mode, IReadOnlyList<RuleMember> Members, int LastPosition)
{
    public static RoutingRule From(AssignmentRule rule) => new(
        rule.Id, rule.Name, RuleCriteria.Parse(rule.Actions, rule.Offers, rule.Countries, rule.Sources), rule.Mode,
        rule.Users.OrderBy(u => u.Position).Select(u => new RuleMember(u.Position, u.UserId, u.Email)).ToList(), rule.LastPosition);
}

public sealed record RuleMember(int Position, string? UserId, string Email);

/// <summary>A user as routing needs them.</summary>
public sealed record Candidate(string Id, string Label, string? Email, bool IsDisabled, DateTime? AwayUntil)
{
    public bool IsAwayAt(DateTime now) => AwayUntil > now;

    public static Candidate From(AppUser user) => new(user.Id, user.Label, user.Email, user.IsDisabled, user.AwayUntil);
}

public enum RoutingOutcome
{
    /// <summary>No rule matched: the lead stays unassigned.</summary>
    NoRule,

    Assigned,

    /// <summary>The matching rule says "leave unassigned".</summary>
    LeftUnassigned,

    /// <summary>The rule's users are all away (or disabled) right now: a normal state, no alert.</summary>
    NobodyAvailable,

    /// <summary>The rule cannot work as written (no users, unknown or deleted ones): the lead stays unassigned and admins are told.</summary>
    Broken,
}

/// <summary>What routing decided for a lead; <see cref="Problem"/> says what an admin must fix for a broken rule.</summary>
public sealed record RoutingDecision(RoutingOutcome Outcome, RoutingRule? Rule = null, Candidate? User = null, string? Problem = null);

/// <summary>
/// Routes leads through an ordered rule list: the first rule whose criteria match decides, and its target gives the
/// owner. Round robin hands each lead to the next user after the one who got the rule's last lead, skipping users who
/// are disabled, deleted or away, so over time every available user gets an equal share. Pure: the caller loads the
/// rules and users and stores the cursors afterwards (<see cref="Cursors"/>).
/// </summary>
public sealed class AssignmentEngine
{
    private readonly IReadOnlyList<RoutingRule> _rules;
    private readonly Dictionary<string, Candidate> _byId;
    private readonly Dictionary<string, Candidate> _byEmail;
    private readonly Dictionary<int, int> _cursors;

    public AssignmentEngine(IReadOnlyList<RoutingRule> rules, IEnumerable<Candidate> users)
    {
        _rules = rules;
        var all = users.ToList();
        _byId = all.ToDictionary(u => u.Id, StringComparer.Ordinal);
        _byEmail = all.Where(u => !string.IsNullOrWhiteSpace(u.Email))
            .GroupBy(u => u.Email!.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        _cursors = rules.ToDictionary(r => r.Id, r => r.LastPosition);
    }

    /// <summary>Each rule's cursor after the leads routed so far (rule id → position of the last user given a lead).</summary>
    public IReadOnlyDictionary<int, int> Cursors => _cursors;

    public RoutingRule? FirstMatch(RoutingLead lead) => _rules.FirstOrDefault(r => r.Criteria.Matches(lead));

    public RoutingDecision Route(RoutingLead lead, DateTime now)
    {
        if (FirstMatch(lead) is not { } rule)
        {
            return new RoutingDecision(RoutingOutcome.NoRule);
        }

        switch (rule.Mode)
        {
            case AssignmentMode.LeaveUnassigned:
                return new RoutingDecision(RoutingOutcome.LeftUnassigned, rule);

            case AssignmentMode.Single:
            {
                if (rule.Members.Count == 0)
                {
                    return new RoutingDecision(RoutingOutcome.Broken, rule, Problem: "it names no user");
                }

                var member = rule.Members[0];
                if (Find(member) is not { } user)
                {
                    return new RoutingDecision(RoutingOutcome.Broken, rule, Problem: $"{member.Email} is not a user (deleted, or never added)");
                }

                if (user.IsDisabled)
                {
                    return new RoutingDecision(RoutingOutcome.Broken, rule, user, $"{user.Label} is disabled");
                }

                return user.IsAwayAt(now)
                    ? new RoutingDecision(RoutingOutcome.NobodyAvailable, rule, user)
                    : new RoutingDecision(RoutingOutcome.Assigned, rule, user);
            }

            default:
                return RoundRobin(rule, now);
        }
    }

    private RoutingDecision RoundRobin(RoutingRule rule, DateTime now)
    {
        var members = rule.Members;
        var found = members.Select(m => (Member: m, User: Find(m))).ToList();
        var usable = found.Where(f => f.User is { IsDisabled: false }).ToList();
        if (usable.Count == 0)
        {
            return new RoutingDecision(RoutingOutcome.Broken, rule,
                Problem: members.Count == 0 ? "it names no users" : "none of its users can take leads (each is disabled, deleted or not a user)");
        }

        // Users it cannot find are skipped, and admins told once: the rest keep getting leads.
        var missing = found.Where(f => f.User is null).Select(f => f.Member.Email).ToList();
        var problem = missing.Count == 0 ? null : $"{string.Join(", ", missing)} {(missing.Count == 1 ? "is not a user" : "are not users")} (deleted, or never added)";

        // The next member after the cursor, in order, wrapping round; a position past the end (users removed) starts over.
        var last = _cursors[rule.Id];
        var ordered = usable.Where(f => f.Member.Position > last).Concat(usable.Where(f => f.Member.Position <= last));
        foreach (var (member, user) in ordered)
        {
            if (!user!.IsAwayAt(now))
            {
                _cursors[rule.Id] = member.Position;
                return new RoutingDecision(RoutingOutcome.Assigned, rule, user, problem);
            }
        }

        return new RoutingDecision(RoutingOutcome.NobodyAvailable, rule, Problem: problem);
    }

    private Candidate? Find(RuleMember member) =>
        member.UserId is { } id
            ? _byId.GetValueOrDefault(id)
            : _byEmail.GetValueOrDefault(member.Email.Trim());
}
