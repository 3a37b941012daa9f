using System.Globalization;
using LeadPortal.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeadPortal.Intake;

/// <summary>Unhealthy while the lead writer's commits fail: every lead is then answered 503 and nothing is stored.</summary>
internal sealed class IntakeHealthCheck(LeadWriter writer, StoreConnection store, StoreDialect dialect) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = writer.Status;
        var data = new Dictionary<string, object>();
        if (status.LastCommitAt is { } last)
        {
            data["lastCommitAt"] = last.ToString("O", CultureInfo.InvariantCulture);
        }

        if (status.FailingSince is not { } since)
        {
            return HealthCheckResult.Healthy("The lead writer commits.", data);
        }

        var at = since.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        // No lead may have come since the failure: whether the cause has cleared is asked of the store itself.
        return await dialect.WriteLockFailureAsync(store.ConnectionString, TimeSpan.FromSeconds(1), cancellationToken) is null
            ? HealthCheckResult.Degraded(
                $"Leads could not be stored from {at} UTC ({status.LastError}); the database takes writes again, so the next lead should be stored.",
                data: data)
            : HealthCheckResult.Unhealthy($"Leads cannot be stored since {at} UTC: {status.LastError}. Partner Center is answered 503.", data: data);
    }
}
