using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Leads;

/// <summary>How one way in last delivered: the HTTPS endpoint, an Azure Table source, or imports.</summary>
public sealed record SourceDelivery(string Label, LeadOrigin Origin, string? Name, DateTime? LastAt, int Recent, bool Paused = false);

/// <summary>Each way in, when it last delivered and how many leads in the last <see cref="Days"/> days; and which went quiet.</summary>
public sealed record SourceActivityData(int Days, IReadOnlyList<SourceDelivery> Sources, IReadOnlyList<string> Warnings);

/// <summary>
/// "Where leads come from" on the dashboard: a source that stops delivering while another goes on (an expired intake key,
/// a table credential that ran out, Partner Center pointed elsewhere) shows as a warning line, which a per-day chart of
/// all leads hides. Test leads do not count; an import counts when it finished, not by its leads' original dates.
/// </summary>
public sealed class SourceActivity(IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time)
{
    public const int RecentDays = 7;

    /// <summary>A source this long without a lead, while another delivered since, is called silent.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromDays(3);

    public const string Endpoint = "HTTPS endpoint";

    public async Task<SourceActivityData> GetAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-RecentDays);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Each an index range on (Origin, ReceivedAt, IsTest), read from its newest end: none scans the leads table.
        var real = db.Leads.AsNoTracking().WithoutTestLeads();
        var sources = new List<SourceDelivery>
        {
            new(Endpoint, LeadOrigin.Webhook, null,
                await real.Where(l => l.Origin == LeadOrigin.Webhook).MaxAsync(l => (DateTime?)l.ReceivedAt, cancellationToken),
                await real.CountAsync(l => l.Origin == LeadOrigin.Webhook && l.ReceivedAt >= since, cancellationToken)),
        };
        foreach (var table in await db.TableSources.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Name, t.Paused }).ToListAsync(cancellationToken))
        {
            var ofTable = real.Where(l => l.Origin == LeadOrigin.Table && l.OriginName == table.Name);
            sources.Add(new($"Azure Table \u201c{table.Name}\u201d", LeadOrigin.Table, table.Name,
                await ofTable.MaxAsync(l => (DateTime?)l.ReceivedAt, cancellationToken),
                await ofTable.CountAsync(l => l.ReceivedAt >= since, cancellationToken), table.Paused));
        }

        var imports = db.ImportRuns.AsNoTracking().Where(r => r.FinishedAt != null && r.State == ImportState.Imported);
        sources.Add(new("Imports", LeadOrigin.Import, null,
            await imports.MaxAsync(r => r.FinishedAt, cancellationToken),
            await imports.Where(r => r.FinishedAt >= since).SumAsync(r => r.Imported, cancellationToken)));

        var warnings = new List<string>();
        // Imports are occasional by nature; a paused table is silent on purpose; a source that never delivered is not in use.
        var delivering = sources.Where(s => s.Origin != LeadOrigin.Import && !s.Paused && s.LastAt is not null).ToList();
        foreach (var silent in delivering.Where(s => now - s.LastAt!.Value >= SilentAfter))
        {
            var from = silent.LastAt!.Value;
            var others = new List<(SourceDelivery Source, int Count)>();
            foreach (var other in delivering.Where(o => o != silent && now - o.LastAt!.Value < SilentAfter))
            {
                var count = other.Origin == LeadOrigin.Webhook
                    ? await real.CountAsync(l => l.Origin == LeadOrigin.Webhook && l.ReceivedAt > from, cancellationToken)
                    : await real.CountAsync(l => l.Origin == LeadOrigin.Table && l.OriginName == other.Name && l.ReceivedAt > from, cancellationToken);
                others.Add((other, count));
            }

            if (others.OrderByDescending(o => o.Count).FirstOrDefault() is { Source: not null } busiest)
            {
                var days = (int)Math.Floor((now - from).TotalDays);
                warnings.Add($"No lead from the {Describe(silent)} for {days} days; the {Describe(busiest.Source)} had {busiest.Count:N0} in that time.");
            }
        }

        return new SourceActivityData(RecentDays, sources, warnings);
    }

    private static string Describe(SourceDelivery source) => source.Origin == LeadOrigin.Webhook ? Endpoint : source.Label;
}
