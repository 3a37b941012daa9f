using System.Security.Claims;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Shared;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Quality;

/// <summary>
/// Which quality rules an admin switched off (Admin › Quality), kept in the store so every instance rates alike. A
/// switch applies to leads rated from then on; the backfill re-rates the stored ones.
/// </summary>
public sealed class QualitySettings(IDbContextFactory<LeadPortalDbContext> dbFactory, AuditLog audit)
{
    public const string RulesOffKey = "quality.rules-off";

    /// <summary>The rules switched off, as one mask of their reasons (none by default).</summary>
    public async Task<QualityReason> GetSwitchedOffAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ReadSwitchedOffAsync(db, cancellationToken);
    }

    /// <summary>The same, in the caller's context (the dispatcher's transaction, a backfill batch).</summary>
    public static async Task<QualityReason> ReadSwitchedOffAsync(LeadPortalDbContext db, CancellationToken cancellationToken)
    {
        var value = await db.StoreSettings.AsNoTracking().Where(s => s.Key == RulesOffKey).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken);
        return Parse(value);
    }

    /// <summary>Names of reasons, comma-separated; a name no rule has any more is ignored.</summary>
    public static QualityReason Parse(string? value) => (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(name => Enum.TryParse<QualityReason>(name, out var reason) && !int.TryParse(name, out _) ? reason & QualityRules.Known : QualityReason.None)
        .Aggregate(QualityReason.None, (all, r) => all | r);

    public static string Format(QualityReason off) => string.Join(',', QualityRules.All.Where(r => (off & r.Reason) != 0).Select(r => r.Key));

    /// <summary>Switches one rule on or off, audited. False when it already was so.</summary>
    public async Task<bool> SwitchAsync(ClaimsPrincipal actor, QualityReason reason, bool on, CancellationToken cancellationToken = default)
    {
        if ((QualityRules.Known & reason) == 0 || System.Numerics.BitOperations.PopCount((uint)reason) != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), $"{reason} is not one quality rule.");
        }

        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var setting = await db.StoreSettings.SingleOrDefaultAsync(s => s.Key == RulesOffKey, cancellationToken);
            var off = Parse(setting?.Value);
            var next = on ? off & ~reason : off | reason;
            if (next == off)
            {
                return false;
            }

            if (setting is null)
            {
                db.StoreSettings.Add(setting = new StoreSetting { Key = RulesOffKey });
            }

            setting.Value = Format(next);
            await db.SaveChangesAsync(cancellationToken);
        }

        var rule = QualityRules.Rule(reason);
        await audit.RecordAsync(actor, AuditActions.QualityRuleSwitched, $"Quality rule \"{rule.Says}\"", on ? "On" : "Off", cancellationToken);
        return true;
    }
}
