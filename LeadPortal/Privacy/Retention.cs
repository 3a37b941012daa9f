using System.Globalization;
using System.Security.Claims;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Background;
using LeadPortal.Data;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Privacy;

/// <summary>What a retention run removed.</summary>
public sealed record RetentionResult(int Leads, int Mail, int ExportFiltersCleared)
{
    public override string ToString() => $"{Leads} lead(s) with everything that referred to them, {Mail} old e-mail(s), {ExportFiltersCleared} export filter(s) cleared";
}

/// <summary>
/// Keeps leads for a set number of months (an admin setting, off by default; Partner Center itself keeps leads six
/// months). Hourly, leads received before the cut-off are deleted in small batches off the
/// intake path, each batch one transaction with everything that refers to them: raw body, activity and notes, export
/// marks, forwarding deliveries, e-mails about them, the search index and the kept totals (both by the store's own
/// triggers and cascades). The export history keeps its rows, without a search text; sent e-mails older than the
/// cut-off go too. Each run that removed something is audited as counts. Hourly on one instance: see
/// <see cref="LeasedTimerService"/> (a crashed holder is replaced within minutes).
/// </summary>
public sealed class Retention(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    AuditLog audit,
    InstanceIdentity instance,
    TimeProvider time,
    ILogger<Retention> logger) : LeasedTimerService(dbFactory, instance, time, logger)
{
    public const string SettingKey = "retention.months";
    public const string RetentionLease = "retention";
    public const int BatchSize = 200;

    /// <summary>The choices the page offers (months); null is "keep leads until erased".</summary>
    public static readonly int[] Choices = [3, 6, 12, 24, 36];

    private static readonly TimeSpan BatchPause = TimeSpan.FromMilliseconds(50);

    public async Task<int?> GetMonthsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
        var value = await db.StoreSettings.Where(s => s.Key == SettingKey).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken);
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var months) && months > 0 ? months : null;
    }

    public async Task SetMonthsAsync(ClaimsPrincipal actor, int? months, CancellationToken cancellationToken = default)
    {
        if (months is <= 0 or > 1200)
        {
            throw new ArgumentOutOfRangeException(nameof(months), "Keep leads for 1 to 1,200 months, or until erased.");
        }

        await using (var db = await DbFactory.CreateDbContextAsync(cancellationToken))
        {
            var setting = await db.StoreSettings.SingleOrDefaultAsync(s => s.Key == SettingKey, cancellationToken);
            if (setting is null)
            {
                db.StoreSettings.Add(setting = new StoreSetting { Key = SettingKey });
            }

            setting.Value = months?.ToString(CultureInfo.InvariantCulture) ?? "";
            await db.SaveChangesAsync(cancellationToken);
        }

        await audit.RecordAsync(actor, AuditActions.RetentionChanged, "Lead retention", months is { } m ? $"{m} months" : "Off: leads are kept until erased", cancellationToken);
    }

    /// <summary>The cut-off for a number of months: leads received before it go.</summary>
    public DateTime CutoffFor(int months) => Time.GetUtcNow().UtcDateTime.AddMonths(-months);

    /// <summary>How many leads a setting would remove now.</summary>
    public async Task<int> CountExpiredAsync(int months, CancellationToken cancellationToken = default)
    {
        var cutoff = CutoffFor(months);
        await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Leads.CountAsync(l => l.ReceivedAt < cutoff, cancellationToken);
    }

    /// <summary>One run: removes what the setting says has expired (nothing when it is off).</summary>
    public Task<RetentionResult> PurgeAsync(CancellationToken cancellationToken = default) => PurgeAsync(_ => Task.CompletedTask, cancellationToken);

    private async Task<RetentionResult> PurgeAsync(Func<CancellationToken, Task> renew, CancellationToken cancellationToken)
    {
        if (await GetMonthsAsync(cancellationToken) is not { } months)
        {
            return new RetentionResult(0, 0, 0);
        }

        var cutoff = CutoffFor(months);
        var leads = 0;
        while (true)
        {
            await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
            var ids = await db.Leads.Where(l => l.ReceivedAt < cutoff).OrderBy(l => l.Id).Take(BatchSize).Select(l => l.Id).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                leads += await PersonalData.DeleteLeadsAsync(db, ids, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            await renew(cancellationToken);
            await Task.Delay(BatchPause, Time, cancellationToken);
        }

        await using var tidy = await DbFactory.CreateDbContextAsync(cancellationToken);
        // Digests and other sent mail name leads too; and an old export's search text may be a person's name.
        var mail = await tidy.MailOutbox.Where(m => m.CreatedAt < cutoff && m.Status != OutboxStatus.Pending).ExecuteDeleteAsync(cancellationToken);
        var filters = await tidy.ExportRuns.Where(r => r.At < cutoff && (r.FilterQuery.Contains("q=") || r.SkippedLeadIds != ""))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.FilterQuery, "").SetProperty(r => r.FilterDescription, "(filter removed with its leads: retention)")
                .SetProperty(r => r.SkippedLeadIds, ""), cancellationToken);
        var result = new RetentionResult(leads, mail, filters);
        if (leads + mail + filters > 0)
        {
            logger.LogInformation("Retention ({Months} months) removed {Result}.", months, result);
            await audit.RecordAsync(null, AuditActions.RetentionPurged, $"Leads received before {cutoff:yyyy-MM-dd}", result.ToString(), cancellationToken);
        }

        return result;
    }

    protected override string LeaseName => RetentionLease;

    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override string FailureMessage => "The retention run failed.";

    protected override Task RunAsync(Func<CancellationToken, Task> renew, CancellationToken cancellationToken) => PurgeAsync(renew, cancellationToken);
}
