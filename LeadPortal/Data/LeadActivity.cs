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
}
