using LeadPortal.Data;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Quality;

/// <summary>
/// Rates every arrived lead in the dispatcher's transaction, seconds after its 2xx: the "many leads from this address
/// within an hour" rule needs a query, which the intake's grouped commit should not wait for. Registered before the
/// other handlers (QualitySetup), so assignment rules and forwarded payloads see the rating. A lead already rated
/// (re-dispatched after a failed batch) is rated again, to the same result.
/// </summary>
public sealed class QualityHandler : ILeadEventHandler
{
    public async Task HandleAsync(LeadPortalDbContext db, IReadOnlyList<LeadEventItem> items, DateTime now, CancellationToken cancellationToken)
    {
        var arrived = items.Where(i => i.Event.Kind == OutboxEventKind.LeadArrived).Select(i => i.Lead.Id).Distinct().ToList();
        if (arrived.Count == 0)
        {
            return;
        }

        var leads = await db.Leads.Where(l => arrived.Contains(l.Id)).ToListAsync(cancellationToken);
        // No catch: the rules are pure and do not throw, and a failed query has already failed the batch's transaction
        // (PostgreSQL aborts it), which the dispatcher retries whole.
        await QualityRater.RateAsync(db, leads, await QualitySettings.ReadSwitchedOffAsync(db, cancellationToken), cancellationToken);

        // The items' leads are the dispatcher's untracked copies: the handlers after this one read those.
        var rated = leads.ToDictionary(l => l.Id);
        foreach (var item in items)
        {
            if (rated.TryGetValue(item.Lead.Id, out var lead))
            {
                (item.Lead.Quality, item.Lead.QualityReasons) = (lead.Quality, lead.QualityReasons);
            }
        }
    }
}
