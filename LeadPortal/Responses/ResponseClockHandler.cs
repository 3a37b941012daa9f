using LeadPortal.Data;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Responses;

/// <summary>
/// Starts each new lead's response clock: its due time, set in the dispatcher's transaction just after the lead was
/// stored and acknowledged, so the intake's 2xx path reads no settings and every instance times leads by the same
/// settings (read from the store once per batch).
/// </summary>
public sealed class ResponseClockHandler(IOptions<ResponseClockSettings> configured) : ILeadEventHandler
{
    public async Task HandleAsync(LeadPortalDbContext db, IReadOnlyList<LeadEventItem> items, DateTime now, CancellationToken cancellationToken)
    {
        var arrived = items.Where(i => i.Event.Kind == OutboxEventKind.LeadArrived && i.Lead.ResponseDueAt is null && i.Lead.FirstResponseAt is null
                && ResponseClock.HasClock(i.Lead.ActionCode, i.Lead.IsTest))
            .Select(i => i.Lead.Id).Distinct().ToList();
        if (arrived.Count == 0)
        {
            return;
        }

        var clock = ResponseClock.From((await ResponseTimes.ReadAsync(db, configured.Value, cancellationToken)).Settings);
        // Tracked, so that the dispatcher's one save writes the due times with whatever else its handlers changed.
        var leads = await db.Leads.Where(l => arrived.Contains(l.Id) && l.ResponseDueAt == null && l.FirstResponseAt == null).ToListAsync(cancellationToken);
        foreach (var lead in leads)
        {
            lead.ResponseDueAt = clock.DueAt(lead.ActionCode, lead.IsTest, lead.ReceivedAt);
        }
    }
}
