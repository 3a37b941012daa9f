namespace LeadPortal.Data;

/// <summary>A change to a lead or a note on it, with who and when.</summary>
public sealed class LeadActivity
{
    public long Id { get; set; }
    public long LeadId { get; set; }
    public Lead? Lead { get; set; }
    public DateTime At { get; set; }
    public string? UserId { get; set; }
    public AppUser? User { get; set; }
    public LeadActivityKind Kind { get; set; }
    public string? FromValue { get; set; }
    public string? ToValue { get; set; }
    public string? Text { get; set; }
}

public enum LeadActivityKind
{
    StatusChanged = 0,
    OwnerChanged = 1,
    Note = 2,
    FollowUpChanged = 3,

    /// <summary>An assignment rule gave the lead an owner: <see cref="LeadActivity.ToValue"/> the owner, <see cref="LeadActivity.Text"/> the rule's name.</summary>
    AutoAssigned = 4,

    /// <summary>A call made outside LeadPortal was logged: <see cref="LeadActivity.ToValue"/> the outcome, <see cref="LeadActivity.Text"/> the note.</summary>
    Call = 5,

    /// <summary>An e-mail sent outside LeadPortal was logged (outcome and note as for <see cref="Call"/>).</summary>
    Email = 6,

    /// <summary>A meeting was logged (outcome and note as for <see cref="Call"/>).</summary>
    Meeting = 7,

    /// <summary>Someone marked the lead answered without logging how.</summary>
    MarkedResponded = 8,

    /// <summary>A task was added: <see cref="LeadActivity.Text"/> its text, <see cref="LeadActivity.ToValue"/> its due time (UTC, ISO 8601).</summary>
    TaskAdded = 9,

    /// <summary>A task was marked done: <see cref="LeadActivity.Text"/> its text.</summary>
    TaskDone = 10,
    /// <summary>
    /// "Accepted in Partner Center" was ticked (<see cref="LeadActivity.ToValue"/> "accepted") or unticked ("not accepted").
    /// Numbered apart from the kinds above, which other features extend.
    /// </summary>
    PartnerCenterAcceptance = 30,
}
