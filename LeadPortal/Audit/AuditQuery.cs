using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Audit;

public sealed class AuditQuery(IDbContextFactory<LeadPortalDbContext> dbFactory)
{
    public async Task<(IReadOnlyList<AuditEntry> Rows, int Total)> GetPageAsync(
        string? action, string? user, DateTime? fromUtc, DateTime? toUtc, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(action))
        {
            entries = entries.Where(e => e.Action == action);
        }

        if (!string.IsNullOrWhiteSpace(user))
        {
            // Part of the name, any case, on every provider (and a "%" typed is a percent sign, not a wildcard).
            var part = user.Trim().ToLowerInvariant();
            entries = entries.Where(e => e.UserName != null && e.UserName.ToLower().Contains(part));
        }

        if (fromUtc is { } from)
        {
            entries = entries.Where(e => e.At >= from);
        }

        if (toUtc is { } to)
        {
            entries = entries.Where(e => e.At < to);
        }

        var total = await entries.CountAsync(cancellationToken);
        var rows = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(Math.Max(0, page) * pageSize).Take(Math.Clamp(pageSize, 1, 200)).ToListAsync(cancellationToken);
        return (rows, total);
    }
}
