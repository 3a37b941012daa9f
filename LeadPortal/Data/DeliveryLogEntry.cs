namespace LeadPortal.Data;

/// <summary>One request to the intake endpoint, accepted or not.</summary>
public sealed class DeliveryLogEntry
{
    public long Id { get; set; }
    public DateTime ReceivedAt { get; set; }
    public DeliveryOutcome Outcome { get; set; }
    public int StatusCode { get; set; }
    public string? Reason { get; set; }

    /// <summary>The key that was presented, when it matched one (never the secret itself).</summary>
    public int? IntakeKeyId { get; set; }

    public string? ClientIp { get; set; }
    public long BodySize { get; set; }

    /// <summary>The first 4 KiB of a rejected body, so an admin can see what was sent.</summary>
    public string? BodyStart { get; set; }

    public long? LeadId { get; set; }
}

public enum DeliveryOutcome
{
    Created = 0,
    Duplicate = 1,
    Rejected = 2,
    Unauthorized = 3,
}
