namespace LeadPortal.Data;

/// <summary>A named inbox view (filter, sort, page size as its query string): a user's own, or the team's (no user).</summary>
public sealed class SavedView
{
    public int Id { get; set; }

    /// <summary>The owner; null for a team view, which admins make and everyone sees.</summary>
    public string? UserId { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The view as <see cref="Leads.InboxView.ToQueryString"/> writes it (page left out).</summary>
    public string Query { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}

/// <summary>Per user: the view the inbox opens with, and the last one they had open (kept across sign-outs).</summary>
public sealed class InboxSettings
{
    public string UserId { get; set; } = "";
    public int? DefaultViewId { get; set; }
    public string? LastQuery { get; set; }
}
