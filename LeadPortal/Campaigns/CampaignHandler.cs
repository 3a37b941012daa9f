using LeadPortal.Data;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Campaigns;

/// <summary>
/// Reads campaign parameters from each arrived lead's Description in the dispatcher's transaction, seconds after its
/// 2xx: the admin's switch is a stored setting, which the intake's grouped commit should not read per lead.
/// </summary>
public sealed class CampaignHandler : ILeadEventHandler
{
    public async Task HandleAsync(LeadPortalDbContext db, IReadOnlyList<LeadEventItem> items, DateTime now, CancellationToken cancellationToken)
    {
        var arrived = items.Where(i => i.Event.Kind == OutboxEventKind.LeadArrived && i.Lead.Description is not null)
            .Select(i => i.Lead.Id).Distinct().ToList();
        if (arrived.Count == 0 || !await CampaignSettings.IsOnAsync(db, cancellationToken))
        {
            return;
        }

        var leads = await db.Leads.Where(l => arrived.Contains(l.Id)).ToListAsync(cancellationToken);
        foreach (var lead in leads)
        {
            CampaignSettings.Apply(lead, on: true);
        }

        // The items' leads are the dispatcher's untracked copies: the handlers after this one read those.
        var parsed = leads.ToDictionary(l => l.Id);
        foreach (var item in items)
        {
            if (parsed.TryGetValue(item.Lead.Id, out var lead))
            {
                (item.Lead.CampaignId, item.Lead.CampaignSource, item.Lead.CampaignFields) = (lead.CampaignId, lead.CampaignSource, lead.CampaignFields);
            }
        }
    }
}
