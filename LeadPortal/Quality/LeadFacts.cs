using System.Text;
using LeadPortal.Campaigns;
using LeadPortal.Data;
using LeadPortal.Intake;

namespace LeadPortal.Quality;

/// <summary>How many leads of a batch got new values, and how many raw bodies could not be parsed.</summary>
public readonly record struct RecomputeResult(int Changed, int Unparsable);

/// <summary>
/// Everything LeadPortal derives of a stored lead, recomputed in the caller's context: the parsed columns from the raw
/// body (contact facts, company domain), the campaign parameters, and the quality rating with the settings in force. The
/// reprocessing job (which is also the backfill after an upgrade) runs it per batch; the result is what intake and the
/// dispatcher would have stored for the lead today.
/// </summary>
public static class LeadFacts
{
    /// <param name="leads">Tracked, with their payloads.</param>
    /// <param name="parse">How a lead's stored body is read (a posted body by default; the caller knows other origins).</param>
    public static async Task<RecomputeResult> RecomputeAsync(
        LeadPortalDbContext db, IReadOnlyList<Lead> leads, CancellationToken cancellationToken, Func<Lead, (bool Parsed, ParsedLead Lead)>? parse = null)
    {
        parse ??= lead => (LeadPayloadParser.TryParse(Encoding.UTF8.GetBytes(lead.Payload?.Body ?? ""), out var posted, out _), posted);
        var unparsable = 0;
        foreach (var lead in leads)
        {
            if (parse(lead) is (true, var parsed))
            {
                parsed.ApplyTo(lead);
            }
            else
            {
                // Its columns stay as they were; its campaign and rating are still derived from them.
                unparsable++;
            }
        }

        var campaignsOn = await CampaignSettings.IsOnAsync(db, cancellationToken);
        foreach (var lead in leads)
        {
            CampaignSettings.Apply(lead, campaignsOn);
        }

        await QualityRater.RateAsync(db, leads, await QualitySettings.ReadSwitchedOffAsync(db, cancellationToken), cancellationToken);
        var changed = leads.Count(l => db.Entry(l).Properties.Any(p => p.IsModified));
        return new RecomputeResult(changed, unparsable);
    }
}
