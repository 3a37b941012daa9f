using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LeadPortal.Data;

/// <summary>
/// The store is healthy when it answers, can take the write lock within a moment (another process holding it stops
/// every lead), and its disk has room: each failure is reported with what it means for intake.
/// </summary>
internal sealed class StoreHealthCheck(
    IDbContextFactory<LeadPortalDbContext> dbFactory, StoreConnection store, StoreDialect dialect, IOptions<StoreOptions> options) : IHealthCheck
{
    private static readonly TimeSpan LockProbeWait = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database is not reachable.", ex);
        }

        var freeMegabytes = dialect.FreeDiskBytes(store.ConnectionString) is { } free ? free / (1024 * 1024) : (long?)null;
        var data = new Dictionary<string, object>();
        if (freeMegabytes is { } megabytes)
        {
            data["freeDiskMegabytes"] = megabytes;
        }

        if (await dialect.WriteLockFailureAsync(store.ConnectionString, LockProbeWait, cancellationToken) is { } lockFailure)
        {
            return HealthCheckResult.Unhealthy($"The database cannot be written: {lockFailure}. Leads are answered 503 until that clears.", data: data);
        }

        var minimum = options.Value.MinFreeDiskMegabytes;
        if (freeMegabytes < minimum)
        {
            return HealthCheckResult.Unhealthy(
                $"Only {freeMegabytes:N0} MB are free on the database's disk (at least {minimum:N0} MB expected); when it is full, leads are answered 503.",
                data: data);
        }

        return HealthCheckResult.Healthy(
            freeMegabytes is { } room ? $"The database is reachable and writable; {room:N0} MB free on its disk." : "The database is reachable and writable.",
            data);
    }
}
