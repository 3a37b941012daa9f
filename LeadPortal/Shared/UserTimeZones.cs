using System.Globalization;
using LeadPortal.Data;
using LeadPortal.Data.Configurations;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Shared;

/// <summary>One IANA zone as the settings list shows it: "(UTC+01:00) Europe/Stockholm".</summary>
public sealed record TimeZoneChoice(string Id, TimeSpan Offset)
{
    public string Label => $"(UTC{UserTimeZones.FormatOffset(Offset)}) {Id}";
}

/// <summary>The time zone each user chose in settings (<see cref="AppUser.TimeZone"/>); null means the browser's.</summary>
public sealed class UserTimeZones(IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time)
{
    // IANA names only (the server may also know Windows names, which no browser reports), each once.
    private static readonly Lazy<string[]> Ids = new(() => TimeZoneInfo.GetSystemTimeZones()
        .Select(z => TimeZoneInfo.TryConvertWindowsIdToIanaId(z.Id, out var iana) ? iana : z.Id)
        .Where(id => id.Contains('/') || id == "UTC")
        .Append("UTC").Distinct(StringComparer.OrdinalIgnoreCase).ToArray());

    /// <summary>Every zone with its offset now (which DST changes), west to east, then by name.</summary>
    public IReadOnlyList<TimeZoneChoice> Choices()
    {
        var now = time.GetUtcNow();
        return Ids.Value
            .Select(id => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? new TimeZoneChoice(id, zone.GetUtcOffset(now)) : null)
            .OfType<TimeZoneChoice>()
            .OrderBy(c => c.Offset).ThenBy(c => c.Id, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public TimeSpan OffsetNow(TimeZoneInfo zone) => zone.GetUtcOffset(time.GetUtcNow());

    /// <summary>The user's chosen zone; null when they chose none (or it is one this server no longer knows).</summary>
    public async Task<TimeZoneInfo?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var id = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.TimeZone).SingleOrDefaultAsync(cancellationToken);
        return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }

    /// <summary>
    /// Stores the user's zone (null: the browser's again). Throws <see cref="ArgumentException"/> with a readable
    /// message for a zone this server does not know, and stores nothing then.
    /// </summary>
    public async Task<TimeZoneInfo?> SaveAsync(string userId, string? zoneId, CancellationToken cancellationToken = default)
    {
        TimeZoneInfo? zone = null;
        zoneId = string.IsNullOrWhiteSpace(zoneId) ? null : zoneId.Trim();
        if (zoneId is not null && (zoneId.Length > AppUserConfiguration.TimeZoneMaxLength || !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out zone)))
        {
            throw new ArgumentException($"\"{(zoneId.Length > 80 ? zoneId[..80] + "…" : zoneId)}\" is not a time zone this server knows: pick one from the list (an IANA name such as Europe/Stockholm).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var updated = await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.TimeZone, zone == null ? null : zoneId), cancellationToken);
        if (updated == 0)
        {
            throw new InvalidOperationException("Your account no longer exists.");
        }

        return zone;
    }

    public static string FormatOffset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
