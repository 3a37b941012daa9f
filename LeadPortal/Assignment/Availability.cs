using System.Security.Claims;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Assignment;

/// <summary>"Away until": set by users for themselves or by an admin; round robin passes over them meanwhile.</summary>
public sealed class Availability(IDbContextFactory<LeadPortalDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    /// <summary>Far enough for a long leave; further is likely a typo (2062 for 2026).</summary>
    public static readonly TimeSpan MaxAway = TimeSpan.FromDays(366);

    public async Task<DateTime?> GetAwayUntilAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var until = await db.Users.Where(u => u.Id == userId).Select(u => u.AwayUntil).SingleOrDefaultAsync(cancellationToken);
        // A time gone by is no longer "away".
        return until > time.GetUtcNow().UtcDateTime ? until : null;
    }

    /// <summary>Sets or clears (null) when the user is back, UTC; an error to show, or null when saved.</summary>
    public async Task<string?> SetAwayUntilAsync(string userId, DateTime? untilUtc, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (untilUtc is { } until)
        {
            if (until <= now)
            {
                return "Choose a moment in the future (or clear it: back now).";
            }

            if (until - now > MaxAway)
            {
                return "Away can be at most a year ahead.";
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return "That user no longer exists.";
        }

        user.AwayUntil = untilUtc is { } value ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : null;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.UserAwayChanged, user.Email,
            untilUtc is { } back ? $"away until {back:yyyy-MM-dd HH:mm} UTC" : "back", cancellationToken);
        return null;
    }
}
