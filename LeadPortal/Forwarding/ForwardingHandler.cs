using LeadPortal.Data;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Forwarding;

/// <summary>
/// Queues a delivery for every destination that takes an arrived lead, in the dispatcher's transaction. Paused
/// destinations get theirs queued too: they are held, not lost, and go out on resume. One the sender switched off (its
/// receiver answered 410 Gone) gets them parked: kept for a replay, never sent by themselves.
/// </summary>
public sealed class ForwardingHandler : ILeadEventHandler
{
    public async Task HandleAsync(LeadPortalDbContext db, IReadOnlyList<LeadEventItem> items, DateTime now, CancellationToken cancellationToken)
    {
        var arrived = items.Where(i => i.Event.Kind == OutboxEventKind.LeadArrived).Select(i => i.Lead).DistinctBy(l => l.Id).ToList();
        if (arrived.Count == 0)
        {
            return;
        }

        var destinations = await db.ForwardingDestinations.AsNoTracking().ToListAsync(cancellationToken);
        if (destinations.Count == 0)
        {
            return;
        }

        // The unique index (destination, lead) must never be hit: a lead announced twice is queued once.
        var leadIds = arrived.Select(l => (long?)l.Id).ToList();
        var existing = (await db.ForwardDeliveries.Where(d => leadIds.Contains(d.LeadId))
                .Select(d => new { d.DestinationId, d.LeadId })
                .ToListAsync(cancellationToken))
            .Select(d => (d.DestinationId, d.LeadId!.Value))
            .ToHashSet();

        foreach (var lead in arrived)
        {
            foreach (var destination in destinations)
            {
                if (DestinationRules.Takes(destination, lead) && existing.Add((destination.Id, lead.Id)))
                {
                    db.ForwardDeliveries.Add(new ForwardDelivery
                    {
                        DestinationId = destination.Id,
                        LeadId = lead.Id,
                        MessageId = WebhookSigner.NewMessageId(),
                        Status = destination.DisabledAt is not null && destination.Paused ? OutboxStatus.Parked : OutboxStatus.Pending,
                        CreatedAt = now,
                        NextAttemptAt = now,
                    });
                }
            }
        }
    }
}
