using System.Globalization;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeadPortal.TableIntake;

/// <summary>
/// Degraded while a table source fails (its leads wait in the table, none is lost); healthy otherwise. The description
/// names each source with its last complete read, its lag and its last error.
/// </summary>
internal sealed class TableIntakeHealthCheck(IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sources = await db.TableSources.AsNoTracking().Where(s => !s.Paused).OrderBy(s => s.Name).ToListAsync(cancellationToken);
        if (sources.Count == 0)
        {
            return HealthCheckResult.Healthy("No table sources.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var lines = sources.Select(s => Describe(s, now)).ToList();
        var failing = sources.Count(s => s.FailingSince is not null);
        var text = string.Join(" ", lines);
        return failing == 0 ? HealthCheckResult.Healthy(text) : HealthCheckResult.Degraded(text);
    }

    public static string Describe(TableSource source, DateTime now)
    {
        var read = source.LastSuccessAt is { } last
            ? $"last complete read {last.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC (lag {TableSourceText.Span(now - last)})"
            : "not read to the end yet";
        var progress = source.RunStartedAt is null ? "" : $", reading: {source.RunRead:N0} entities read, {source.RunImported:N0} new";
        var error = source.FailingSince is { } since
            ? $", failing since {since.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC: {source.LastError}"
            : "";
        return $"Table source \"{source.Name}\": {read}{progress}{error}.";
    }
}
