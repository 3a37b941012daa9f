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

    /// <summary>The first 4 KiB of a body refused for its content (never of an unauthorized call), so an admin can see what was sent.</summary>
    public string? BodyStart { get; set; }

    /// <summary>
    /// How many requests this row stands for: 1, or for a summary of refused requests that were counted but not logged
    /// one by one, how many there were (<see cref="BodySize"/> is then their total size).
    /// </summary>
    public int Count { get; set; } = 1;

    public long? LeadId { get; set; }
}

public enum DeliveryOutcome
{
    Created = 0,
    Duplicate = 1,
    Rejected = 2,
    Unauthorized = 3,

    /// <summary>429: a client that kept failing was told to wait (Retry-After).</summary>
    Throttled = 4,

    /// <summary>503: the lead could not be stored (database locked, disk full); nothing was acknowledged.</summary>
    NotStored = 5,
}
