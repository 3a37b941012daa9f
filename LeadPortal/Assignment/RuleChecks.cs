using LeadPortal.Data;

namespace LeadPortal.Assignment;

/// <summary>Something about a rule that an admin should know: an error makes the rule useless, a warning costs some leads.</summary>
public sealed record RuleWarning(int RuleId, string RuleName, bool IsError, string Message);

/// <summary>
/// What the editor warns about: rules that can never match (an earlier rule takes every lead they would), rules whose
/// users are gone, disabled or away, and round-robin sets with nobody left to take a lead.
/// </summary>
public static class RuleChecks
{
    public static IReadOnlyList<RuleWarning> Check(
        IReadOnlyList<RoutingRule> rules, IReadOnlyCollection<Candidate> users, DateTime now, Func<DateTime, string>? formatTime = null)
    {
        formatTime ??= at => at.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var byId = users.ToDictionary(u => u.Id, StringComparer.Ordinal);
        var byEmail = users.Where(u => u.Email is not null).GroupBy(u => u.Email!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var warnings = new List<RuleWarning>();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            void Add(bool error, string message) => warnings.Add(new RuleWarning(rule.Id, rule.Name, error, message));

            if (rules.Take(i).FirstOrDefault(earlier => earlier.Criteria.Covers(rule.Criteria)) is { } shadow)
            {
                Add(true, shadow.Criteria.IsCatchAll
                    ? $"Never matches: \"{shadow.Name}\" comes first and takes every lead."
                    : $"Never matches: \"{shadow.Name}\" comes first and takes every lead this rule would.");
            }

            if (rule.Mode == AssignmentMode.LeaveUnassigned)
            {
                continue;
            }

            if (rule.Members.Count == 0)
            {
                Add(true, rule.Mode == AssignmentMode.Single ? "Names no user: its leads stay unassigned." : "Has no users: its leads stay unassigned.");
                continue;
            }

            var found = rule.Members.Select(m => (m, User: m.UserId is { } id ? byId.GetValueOrDefault(id) : byEmail.GetValueOrDefault(m.Email.Trim()))).ToList();
            foreach (var (member, _) in found.Where(f => f.User is null))
            {
                Add(true, $"{member.Email} is not a user (deleted, or never added).");
            }

            foreach (var (_, user) in found.Where(f => f.User is { IsDisabled: true }))
            {
                Add(rule.Mode == AssignmentMode.Single, $"{user!.Label} is disabled{(rule.Mode == AssignmentMode.Single ? ": its leads stay unassigned" : " and gets no leads")}.");
            }

            foreach (var (_, user) in found.Where(f => f.User is { IsDisabled: false } u && u.IsAwayAt(now)))
            {
                Add(false, $"{user!.Label} is away until {formatTime(user.AwayUntil!.Value)}{(rule.Mode == AssignmentMode.Single ? ": leads stay unassigned meanwhile" : " and gets no leads meanwhile")}.");
            }

            if (rule.Mode == AssignmentMode.RoundRobin && found.Count > 0 && found.All(f => f.User is null or { IsDisabled: true }))
            {
                Add(true, "Nobody in its round robin can take leads: they stay unassigned.");
            }
        }

        return warnings;
    }
}
