namespace LeadPortal.Data;

/// <summary>A URL that receives leads as signed JSON posts (a Power Automate flow, Zapier, Make, CRM middleware).</summary>
public sealed class ForwardingDestination
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Url { get; set; } = "";

    /// <summary>The signing secret (<c>whsec_…</c>) encrypted with data protection; null for one declared in configuration.</summary>
    public string? SecretProtected { get; set; }

    public ForwardBody Body { get; set; }

    /// <summary>For <see cref="ForwardBody.Mapped"/>: the profile whose columns make the JSON object.</summary>
    public int? MappingProfileId { get; set; }

    /// <summary>Action codes, one per line; empty means every action.</summary>
    public string? Actions { get; set; }

    /// <summary>Offer ids, one per line; empty means every offer.</summary>
    public string? Offers { get; set; }

    public bool IncludeTest { get; set; }
    public bool IncludeDoNotContact { get; set; }
    public int TimeoutSeconds { get; set; } = 10;
    public bool Paused { get; set; }

    /// <summary>
    /// Why the sender switched the destination off (paused it by itself), e.g. the receiver answered 410 Gone; null
    /// when it is on or an admin paused it. Cleared on resume.
    /// </summary>
    public string? DisabledReason { get; set; }

    /// <summary>When the sender switched it off (with <see cref="DisabledReason"/>).</summary>
    public DateTime? DisabledAt { get; set; }

    /// <summary>Declared under <c>Forwarding:Destinations</c>: kept in step with configuration at start, not edited in the UI.</summary>
    public bool FromConfiguration { get; set; }

    public DateTime CreatedAt { get; set; }
}

public enum ForwardBody
{
    /// <summary>The body exactly as Partner Center sent it.</summary>
    Raw = 0,

    /// <summary>A JSON object of a mapping profile's columns (header → value).</summary>
    Mapped = 1,
}

/// <summary>One lead (or a test) on its way to one destination: at least once, retried with backoff, then parked.</summary>
public sealed class ForwardDelivery : IOutboxMessage
{
    public long Id { get; set; }
    public int DestinationId { get; set; }

    /// <summary>Null for a test delivery.</summary>
    public long? LeadId { get; set; }

    /// <summary>The <c>webhook-id</c>: the same on every attempt, so a receiver can drop repeats.</summary>
    public string MessageId { get; set; } = "";

    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntil { get; set; }
}

/// <summary>One try of a delivery: what the destination answered.</summary>
public sealed class ForwardAttempt
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public DateTime At { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }

    /// <summary>The first characters of the answer's body.</summary>
    public string? ResponseStart { get; set; }

    public int DurationMs { get; set; }
}
