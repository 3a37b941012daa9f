namespace LeadPortal.Data;

/// <summary>
/// Something that happened to a lead and must lead to mail or forwarding: written in the same transaction as the
/// change itself (the intake writer's commit, an assignment), so a crash right after the commit loses nothing. The
/// dispatcher turns each event into outbox rows and deletes it, again in one transaction.
/// </summary>
public sealed class OutboxEvent
{
    public long Id { get; set; }
    public OutboxEventKind Kind { get; set; }
    public long LeadId { get; set; }

    /// <summary>For <see cref="OutboxEventKind.LeadAssigned"/>: the new owner.</summary>
    public string? UserId { get; set; }

    /// <summary>Who made the change (no mail to someone about their own assignment).</summary>
    public string? ActorId { get; set; }

    public DateTime CreatedAt { get; set; }
}

public enum OutboxEventKind
{
    LeadArrived = 1,
    LeadAssigned = 2,

    /// <summary>An admin asked for the assignment rules to be applied to this (unassigned) lead; nothing else is announced.</summary>
    RouteRequested = 3,
}

/// <summary>Where a message of an outbox (mail, forwarding) stands.</summary>
public enum OutboxStatus
{
    /// <summary>Waiting for its first or next attempt.</summary>
    Pending = 0,

    /// <summary>Delivered: the SMTP server or the destination accepted it.</summary>
    Done = 1,

    /// <summary>Given up after its retries; an admin can send it again.</summary>
    Parked = 2,
}

/// <summary>
/// Work that must run on one instance at a time (sending, dispatching, scheduled checks) holds a lease row: taken
/// when free or expired, renewed while held, so a killed instance's work is taken over when its lease runs out.
/// </summary>
public sealed class JobLease
{
    public string Name { get; set; } = "";
    public string? Holder { get; set; }
    public DateTime Until { get; set; }
}

/// <summary>
/// A long job an admin starts (reprocessing), one row per job: who runs it now and until when (a lease renewed with
/// every batch), how far it got (the last lead id done, committed with that batch's changes), and its counts. Every
/// instance shows progress from here; another instance resumes from <see cref="Checkpoint"/> when the lease runs out.
/// </summary>
public sealed class JobRun
{
    public string Name { get; set; } = "";
    public bool Running { get; set; }
    public string? Holder { get; set; }
    public DateTime LeaseUntil { get; set; }
    public DateTime StartedAt { get; set; }
    public string? StartedById { get; set; }
    public string? StartedBy { get; set; }
    public DateTime? FinishedAt { get; set; }
    public long Checkpoint { get; set; }
    public int Total { get; set; }
    public int Processed { get; set; }
    public int Changed { get; set; }
    public int Unparsable { get; set; }
    public int TakenOver { get; set; }
    public string? Error { get; set; }
}

/// <summary>A setting an admin changes in the app (not in configuration), such as how long leads are kept.</summary>
public sealed class StoreSetting
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}

/// <summary>A row of a durable outbox (a mail, a forwarding delivery): what claiming, retrying and parking need of it.</summary>
public interface IOutboxMessage
{
    long Id { get; }
    OutboxStatus Status { get; }
    int Attempts { get; }
    DateTime CreatedAt { get; }
    DateTime NextAttemptAt { get; }
    string? LastError { get; }
    string? ClaimedBy { get; }
    DateTime? ClaimedUntil { get; }
}
