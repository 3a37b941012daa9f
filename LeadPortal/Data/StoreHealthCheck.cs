using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LeadPortal.Data;

/// <summary>What keeps leads while the store cannot (the intake spool): health then says Degraded, not Unhealthy.</summary>
public interface IStoreFallback
{
    bool KeepsLeadsWithoutStore { get; }

    string FallbackDescription { get; }
}

/// <summary>
/// The store is healthy when it answers, can take the write lock within a moment (another process holding it stops
/// every lead), and its disk has room: each failure is reported with what it means for intake. A failure is Unhealthy
/// (503: a load balancer takes the instance away) only when nothing keeps leads meanwhile; with the spool it is Degraded
/// (200), since the instance still accepts every lead.
/// </summary>
internal sealed class StoreHealthCheck(
    IDbContextFactory<LeadPortalDbContext> dbFactory, StoreConnection store, StoreDialect dialect, IOptions<StoreOptions> options,
    IEnumerable<IStoreFallback> fallbacks) : IHealthCheck
{
    private HealthCheckResult Failed(string description, Exception? exception = null, IReadOnlyDictionary<string, object>? data = null)
    {
        var fallback = fallbacks.FirstOrDefault(f => f.KeepsLeadsWithoutStore);
        return fallback is null
            ? HealthCheckResult.Unhealthy(description + " Leads are answered 503 until that clears.", exception, data)
            : HealthCheckResult.Degraded(description + $" Meanwhile {fallback.FallbackDescription}.", exception, data);
    }

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
            return Failed("The database is not reachable.", ex);
        }

        var freeMegabytes = dialect.FreeDiskBytes(store.ConnectionString) is { } free ? free / (1024 * 1024) : (long?)null;
        var data = new Dictionary<string, object>();
        if (freeMegabytes is { } megabytes)
        {
            data["freeDiskMegabytes"] = megabytes;
        }

        if (await dialect.WriteLockFailureAsync(store.ConnectionString, LockProbeWait, cancellationToken) is { } lockFailure)
        {
            return Failed($"The database cannot be written: {lockFailure}.", data: data);
        }

        var minimum = options.Value.MinFreeDiskMegabytes;
        if (freeMegabytes < minimum)
        {
            // Not softened by the spool: it is kept on this server's disk, most often the same one.
            return HealthCheckResult.Unhealthy(
                $"Only {freeMegabytes:N0} MB are free on the database's disk (at least {minimum:N0} MB expected); when it is full, leads are answered 503.",
                data: data);
        }

        return HealthCheckResult.Healthy(
            freeMegabytes is { } room ? $"The database is reachable and writable; {room:N0} MB free on its disk." : "The database is reachable and writable.",
            data);
    }
}
