using System.Globalization;
using LeadPortal.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeadPortal.Intake;

/// <summary>
/// Unhealthy while the lead writer's commits fail and leads are answered 503; degraded while they fail but leads are kept
/// in the local spool (202), or while spooled leads wait to be stored.
/// </summary>
internal sealed class IntakeHealthCheck(LeadWriter writer, IntakeSpool spool, StoreConnection store, StoreDialect dialect) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = writer.Status;
        var data = new Dictionary<string, object>();
        if (status.LastCommitAt is { } last)
        {
            data["lastCommitAt"] = last.ToString("O", CultureInfo.InvariantCulture);
        }

        var waiting = spool.Waiting;
        if (waiting > 0)
        {
            data["spooled"] = waiting;
            data["spoolFolder"] = spool.Folder;
        }

        if (status.FailingSince is not { } since)
        {
            return waiting == 0
                ? HealthCheckResult.Healthy("The lead writer commits.", data)
                : HealthCheckResult.Degraded($"The lead writer commits; {waiting} lead(s) kept in the local spool ({spool.Folder}) while the store was unavailable are being stored.", data: data);
        }

        var at = since.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        if (spool.Enabled && spool.Usable)
        {
            return HealthCheckResult.Degraded(
                $"The store cannot take leads since {at} UTC ({status.LastError}); {waiting} lead(s) are kept in the local spool ({spool.Folder}), answered 202, and are stored when it returns.",
                data: data);
        }

        // No lead may have come since the failure: whether the cause has cleared is asked of the store itself.
        return await dialect.WriteLockFailureAsync(store.ConnectionString, TimeSpan.FromSeconds(1), cancellationToken) is null
            ? HealthCheckResult.Degraded(
                $"Leads could not be stored from {at} UTC ({status.LastError}); the database takes writes again, so the next lead should be stored.",
                data: data)
            : HealthCheckResult.Unhealthy($"Leads cannot be stored since {at} UTC: {status.LastError}. Partner Center is answered 503.", data: data);
    }
}
