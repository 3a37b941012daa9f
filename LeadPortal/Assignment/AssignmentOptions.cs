using System.ComponentModel.DataAnnotations;
using LeadPortal.Data;

namespace LeadPortal.Assignment;

/// <summary>Section <c>Assignment</c>: rules kept as code, synced into the table at start by name and read-only in the UI.</summary>
public sealed class AssignmentOptions : IValidatableObject
{
    public const string Section = "Assignment";

    /// <summary>Tried in this order, before the rules made in the app.</summary>
    public List<ConfiguredRule> Rules { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Rules.Count; i++)
        {
            if (Rules[i] is not { } rule)
            {
                continue;
            }

            var where = $"Assignment:Rules:{i}{(string.IsNullOrWhiteSpace(rule.Name) ? "" : $" ({rule.Name.Trim()})")}";
            if (!string.IsNullOrWhiteSpace(rule.Name) && !names.Add(rule.Name.Trim()))
            {
                yield return new ValidationResult($"{where}: the name is used twice.", [nameof(Rules)]);
            }

            foreach (var problem in rule.Problems())
            {
                yield return new ValidationResult($"{where}: {problem}", [nameof(Rules)]);
            }
        }
    }
}

/// <summary>One entry of <c>Assignment:Rules</c>. Lists are comma-separated (<c>PLT,INS</c>), as an environment variable gives them.</summary>
public sealed class ConfiguredRule
{
    public string? Name { get; set; }

    /// <summary>Action codes: PLT, INS, StartTestDrive, Create, DNC; empty for every action.</summary>
    public string? Actions { get; set; }

    /// <summary>Offer ids (publisher.offer); empty for every offer.</summary>
    public string? Offers { get; set; }

    /// <summary>ISO country codes (SE, NO); empty for every country.</summary>
    public string? Countries { get; set; }

    /// <summary>AppSource, AzureMarketplace, AzurePortal; empty for every source.</summary>
    public string? Sources { get; set; }

    /// <summary>Users' e-mail addresses, in round-robin order; one for Single.</summary>
    public string? Users { get; set; }

    public AssignmentMode Mode { get; set; } = AssignmentMode.RoundRobin;

    public IReadOnlyList<string> UserEmails() => RuleCriteria.Split(Users).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return "Name is required.";
        }
        else if (Name.Trim().Length > 100)
        {
            yield return "Name can be at most 100 characters.";
        }

        foreach (var problem in AssignmentRules.CriteriaProblems(Actions, Offers, Countries, Sources))
        {
            yield return problem;
        }

        var emails = UserEmails();
        foreach (var email in emails.Where(e => !new EmailAddressAttribute().IsValid(e)))
        {
            yield return $"\"{email}\" in Users is not an e-mail address.";
        }

        switch (Mode)
        {
            case AssignmentMode.Single when emails.Count != 1:
                yield return "Mode Single needs exactly one address in Users.";
                break;
            case AssignmentMode.RoundRobin when emails.Count == 0:
                yield return "Mode RoundRobin needs at least one address in Users.";
                break;
            case AssignmentMode.LeaveUnassigned when emails.Count > 0:
                yield return "Mode LeaveUnassigned takes no Users.";
                break;
            case var mode when !Enum.IsDefined(mode):
                yield return "Mode must be RoundRobin, Single or LeaveUnassigned.";
                break;
        }
    }
}
