namespace LeadPortal.Data;

/// <summary>An admin action (users, keys, mapping profiles, exports, reprocessing) with who and when.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string? UserId { get; set; }

    /// <summary>Who, as shown at the time (survives the user's deletion).</summary>
    public string? UserName { get; set; }

    /// <summary>A stable verb such as <c>user.created</c> or <c>key.revoked</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>What was acted on, as shown to people (an email, a key name, a profile name).</summary>
    public string? Target { get; set; }

    public string? Details { get; set; }
}
