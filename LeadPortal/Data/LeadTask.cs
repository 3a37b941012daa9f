namespace LeadPortal.Data;

/// <summary>Something someone means to do about a lead by a given time ("call back Thursday 10:00"), with an owner who is reminded.</summary>
public sealed class LeadTask
{
    public long Id { get; set; }
    public long LeadId { get; set; }
    public Lead? Lead { get; set; }

    public string Text { get; set; } = "";

    /// <summary>When it falls due, UTC (entered in the viewer's own zone).</summary>
    public DateTime DueAt { get; set; }

    /// <summary>Who is to do it and is reminded; null once that user is deleted.</summary>
    public string? OwnerId { get; set; }
    public AppUser? Owner { get; set; }

    public DateTime CreatedAt { get; set; }
    public string? CreatedById { get; set; }

    /// <summary>When it was marked done; null while open.</summary>
    public DateTime? DoneAt { get; set; }

    /// <summary>When the owner's reminder was queued; null until it falls due (and again when the due time moves).</summary>
    public DateTime? RemindedAt { get; set; }
}
