using LeadPortal.Background;

namespace LeadPortal.Outbox;

/// <summary>The wake-ups of the outbox loops, one each.</summary>
public sealed class OutboxSignals
{
    public Wakeup Dispatch { get; } = new();
    public Wakeup Mail { get; } = new();
    public Wakeup Forwarding { get; } = new();
}
