namespace LeadPortal.Data;

/// <summary>
/// What one user wants to hear about by e-mail. A user without a row has the defaults: "Contact me" leads and leads
/// assigned to them.
/// </summary>
public sealed class NotificationPreference
{
    public string UserId { get; set; } = "";

    public NewLeadMail NewLeads { get; set; } = NewLeadMail.ContactMe;

    /// <summary>A mail when someone else assigns a lead to this user.</summary>
    public bool WhenAssigned { get; set; } = true;

    /// <summary>A mail when a task of this user's falls due.</summary>
    public bool TaskReminders { get; set; } = true;

    /// <summary>One mail a day with the previous day's leads (in <see cref="TimeZone"/>).</summary>
    public bool DailyDigest { get; set; }

    /// <summary>Local time of day the digest goes out, minutes after midnight.</summary>
    public int DigestMinuteOfDay { get; set; } = 8 * 60;

    /// <summary>IANA time zone the digest's day and time are read in.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Offer ids (publisher.offer), one per line; empty means every offer. Applies to new-lead mails and the digest.</summary>
    public string? Offers { get; set; }

    /// <summary>The last local day a digest was made for.</summary>
    public DateOnly? LastDigestDay { get; set; }

    public AppUser? User { get; set; }
}

public enum NewLeadMail
{
    Off = 0,

    /// <summary>Only "Contact me" (PLT) leads: someone asked to be called.</summary>
    ContactMe = 1,

    All = 2,
}

/// <summary>One e-mail in the durable outbox, rendered when it was queued.</summary>
public sealed class OutgoingMail : IOutboxMessage
{
    public long Id { get; set; }
    public MailKind Kind { get; set; }

    /// <summary>The recipient when it is a user (their mail goes when they are deleted).</summary>
    public string? UserId { get; set; }

    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string TextBody { get; set; } = "";
    public string HtmlBody { get; set; } = "";
    public long? LeadId { get; set; }

    /// <summary>Unique: the same person is never sent the same thing twice (e.g. <c>lead:42:new:{user}</c>).</summary>
    public string DedupKey { get; set; } = "";

    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntil { get; set; }
}

public enum MailKind
{
    NewLead = 1,
    Assigned = 2,
    Digest = 3,
    Alert = 4,
    Test = 5,

    /// <summary>A task of the recipient's fell due.</summary>
    TaskDue = 6,

    /// <summary>A lead the recipient owns is due for its first response soon (Admin › Response times sets how soon).</summary>
    ResponseDueSoon = 7,

    /// <summary>A lead's first response is overdue: to its owner (or the admins) and the escalation list.</summary>
    ResponseOverdue = 8,
}
