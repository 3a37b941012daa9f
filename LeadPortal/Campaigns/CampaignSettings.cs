using System.Security.Claims;
using LeadPortal.Audit;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Campaigns;

/// <summary>Whether campaign parameters are read from Descriptions (on unless an admin switched it off; audited).</summary>
public sealed class CampaignSettings(IDbContextFactory<LeadPortalDbContext> dbFactory, AuditLog audit)
{
    public const string OffKey = "campaign.parsing-off";

    public async Task<bool> IsOnAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await IsOnAsync(db, cancellationToken);
    }

    /// <summary>The same, in the caller's context (the dispatcher's transaction, a backfill batch).</summary>
    public static async Task<bool> IsOnAsync(LeadPortalDbContext db, CancellationToken cancellationToken) =>
        !await db.StoreSettings.AsNoTracking().AnyAsync(s => s.Key == OffKey && s.Value == "true", cancellationToken);

    /// <summary>Switches parsing on or off; false when it already was so.</summary>
    public async Task<bool> SwitchAsync(ClaimsPrincipal actor, bool on, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await IsOnAsync(db, cancellationToken) == on)
            {
                return false;
            }

            var setting = await db.StoreSettings.SingleOrDefaultAsync(s => s.Key == OffKey, cancellationToken);
            if (setting is null)
            {
                db.StoreSettings.Add(setting = new StoreSetting { Key = OffKey });
            }

            setting.Value = on ? "false" : "true";
            await db.SaveChangesAsync(cancellationToken);
        }

        await audit.RecordAsync(actor, AuditActions.CampaignParsingSwitched, "Campaign attribution", on ? "On" : "Off", cancellationToken);
        return true;
    }

    /// <summary>Gives a tracked lead its campaign columns from its Description (or none, with parsing off).</summary>
    public static void Apply(Lead lead, bool on)
    {
        var fields = on ? CampaignParser.Parse(lead.Description) : CampaignFields.None;
        lead.CampaignId = fields.Id;
        lead.CampaignSource = fields.Source;
        lead.CampaignFields = fields.ToJson();
    }
}
