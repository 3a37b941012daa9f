namespace LeadPortal.Data;

/// <summary>
/// One assignment rule: which new leads it takes (an empty criterion takes every lead) and who gets them. Rules are
/// tried in order, configured ones first; the first that matches decides.
/// </summary>
public sealed class AssignmentRule
{
    public int Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>The order among rules of the same origin (configured rules come first, in the order declared).</summary>
    public int Position { get; set; }

    /// <summary>Action codes, one per line; empty means every action.</summary>
    public string? Actions { get; set; }

    /// <summary>Offer ids (publisher.offer), one per line; empty means every offer.</summary>
    public string? Offers { get; set; }

    /// <summary>ISO 3166 alpha-2 codes, one per line, as intake stores them; empty means every country.</summary>
    public string? Countries { get; set; }

    /// <summary>Lead sources (AppSource, AzureMarketplace, AzurePortal), one per line; empty means every source.</summary>
    public string? Sources { get; set; }

    public AssignmentMode Mode { get; set; }

    /// <summary>
    /// The round-robin cursor: the <see cref="AssignmentRuleUser.Position"/> of the user who got this rule's last lead
    /// (−1 before the first). Updated in the dispatcher's transaction, so it holds across restarts and instances.
    /// </summary>
    public int LastPosition { get; set; } = -1;

    /// <summary>Declared under <c>Assignment:Rules</c>: kept in step with configuration at start, not edited in the UI.</summary>
    public bool FromConfiguration { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<AssignmentRuleUser> Users { get; set; } = [];
}

/// <summary>
/// A user a rule gives leads to. <see cref="UserId"/> is set for users chosen in the app (and cleared when the user is
/// deleted); configured rules name users by <see cref="Email"/> only, found when a lead is routed.
/// </summary>
public sealed class AssignmentRuleUser
{
    public int Id { get; set; }
    public int RuleId { get; set; }
    public int Position { get; set; }
    public string? UserId { get; set; }
    public string Email { get; set; } = "";
}

public enum AssignmentMode
{
    /// <summary>Every lead to one user.</summary>
    Single = 0,

    /// <summary>Each lead to the next available user in turn.</summary>
    RoundRobin = 1,

    /// <summary>Matching leads stay unassigned (and later rules do not see them).</summary>
    LeaveUnassigned = 2,
}
