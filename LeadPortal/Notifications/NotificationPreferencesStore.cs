using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Notifications;

/// <summary>A user's mail preferences as the settings page edits them.</summary>
public sealed record NotificationSettings(
    NewLeadMail NewLeads,
    bool WhenAssigned,
    bool DailyDigest,
    TimeOnly DigestTime,
    string TimeZone,
    IReadOnlyList<string> Offers)
{
    /// <summary>A mail when one of the user's tasks falls due, and the response clocks' reminder and overdue mail for the leads they own.</summary>
    public bool TaskReminders { get; init; } = true;

    /// <summary>Every user starts with these, the first admin included.</summary>
    public static NotificationSettings Default { get; } = new(NewLeadMail.ContactMe, true, false, new TimeOnly(8, 0), "UTC", []);

    public static NotificationSettings From(NotificationPreference? row) => row is null
        ? Default
        : new(row.NewLeads, row.WhenAssigned, row.DailyDigest, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(row.DigestMinuteOfDay)),
            row.TimeZone, SplitLines(row.Offers)) { TaskReminders = row.TaskReminders };

    /// <summary>Whether a lead of this offer is wanted (no offers chosen: every offer).</summary>
    public bool WantsOffer(string? offerId) =>
        Offers.Count == 0 || (offerId is not null && Offers.Contains(offerId, StringComparer.OrdinalIgnoreCase));

    internal static IReadOnlyList<string> SplitLines(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class NotificationPreferencesStore(IDbContextFactory<LeadPortalDbContext> dbFactory)
{
    public async Task<NotificationSettings> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return NotificationSettings.From(await db.NotificationPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken));
    }

    /// <summary>Saves the settings; throws <see cref="ArgumentException"/> with a readable message for an unknown time zone.</summary>
    public async Task SaveAsync(string userId, NotificationSettings settings, CancellationToken cancellationToken = default)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(settings.TimeZone, out _))
        {
            throw new ArgumentException($"\"{settings.TimeZone}\" is not a time zone this server knows (use an IANA name such as Europe/Stockholm).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.NotificationPreferences.SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        if (row is null)
        {
            row = new NotificationPreference { UserId = userId };
            db.NotificationPreferences.Add(row);
        }

        var digestMinute = settings.DigestTime.Hour * 60 + settings.DigestTime.Minute;
        if (row.DigestMinuteOfDay != digestMinute || row.TimeZone != settings.TimeZone)
        {
            // A new time or zone starts afresh: the next digest is the one due at the new time.
            row.LastDigestDay = null;
        }

        row.NewLeads = settings.NewLeads;
        row.WhenAssigned = settings.WhenAssigned;
        row.TaskReminders = settings.TaskReminders;
        row.DailyDigest = settings.DailyDigest;
        row.DigestMinuteOfDay = digestMinute;
        row.TimeZone = settings.TimeZone;
        row.Offers = settings.Offers.Count == 0 ? null : string.Join('\n', settings.Offers.Select(o => o.Trim()).Where(o => o.Length > 0).Distinct());
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Active users with an address and their settings (defaults for those who never saved any).</summary>
    internal static async Task<List<Recipient>> RecipientsAsync(LeadPortalDbContext db, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled && u.Email != null)
            .Select(u => new { u.Id, u.Email, u.DisplayName })
            .ToListAsync(cancellationToken);
        var preferences = await db.NotificationPreferences.AsNoTracking().ToDictionaryAsync(p => p.UserId, cancellationToken);
        var admins = (await db.UserRoles.Join(db.Roles.Where(r => r.Name == Accounts.Roles.Admin), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId)
            .ToListAsync(cancellationToken)).ToHashSet();
        return users.Select(u => new Recipient(u.Id, u.Email!, u.DisplayName, admins.Contains(u.Id),
            NotificationSettings.From(preferences.GetValueOrDefault(u.Id)), preferences.GetValueOrDefault(u.Id))).ToList();
    }
}

internal sealed record Recipient(string UserId, string Email, string? DisplayName, bool IsAdmin, NotificationSettings Settings, NotificationPreference? Row);
