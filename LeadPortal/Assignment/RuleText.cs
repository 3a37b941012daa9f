using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Shared;

namespace LeadPortal.Assignment;

/// <summary>Rules in words, as the page and the preview show them.</summary>
public static class RuleText
{
    public static string Criteria(RuleCriteria criteria)
    {
        if (criteria.IsCatchAll)
        {
            return "Every lead";
        }

        var parts = new List<string>();
        if (criteria.Actions.Count > 0)
        {
            parts.Add(string.Join(" or ", criteria.Actions.Select(LeadActions.ShortLabel)));
        }

        if (criteria.Countries.Count > 0)
        {
            parts.Add($"from {string.Join(", ", criteria.Countries.Order(StringComparer.Ordinal))}");
        }

        if (criteria.Offers.Count > 0)
        {
            parts.Add(criteria.Offers.Count == 1 ? $"offer {criteria.Offers.First()}" : $"offers {string.Join(", ", criteria.Offers)}");
        }

        if (criteria.Sources.Count > 0)
        {
            parts.Add($"via {string.Join(" or ", criteria.Sources.Select(s => Leads.LeadLabels.SourceLabel(s)))}");
        }

        return string.Join(" · ", parts);
    }

    public static string Mode(AssignmentMode mode) => mode switch
    {
        AssignmentMode.Single => "One user",
        AssignmentMode.RoundRobin => "Round robin",
        _ => "Leave unassigned",
    };
}
