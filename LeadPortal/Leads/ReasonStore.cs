using System.Security.Claims;
using LeadPortal.Audit;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Leads;

/// <summary>A disqualify reason as lists and dialogs show it; <see cref="Leads"/> is how many leads carry it (admin page only).</summary>
public sealed record ReasonRow(int Id, string Name, bool NeedsText, int SortOrder, int Leads = 0);

/// <summary>The admins' list of disqualify reasons: each change audited; a reason in use can go (its leads then show none).</summary>
public sealed class ReasonStore(IDbContextFactory<LeadPortalDbContext> dbFactory, AuditLog audit)
{
    public static async Task<IReadOnlyList<ReasonRow>> ListAsync(LeadPortalDbContext db, CancellationToken cancellationToken = default) =>
        await db.DisqualifyReasons.AsNoTracking().OrderBy(r => r.SortOrder).ThenBy(r => r.Name)
            .Select(r => new ReasonRow(r.Id, r.Name, r.NeedsText, r.SortOrder, 0)).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<ReasonRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ListAsync(db, cancellationToken);
    }

    /// <summary>The list with how many leads carry each reason.</summary>
    public async Task<IReadOnlyList<ReasonRow>> ListWithUseAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var used = await db.Leads.Where(l => l.DisqualifyReasonId != null).GroupBy(l => l.DisqualifyReasonId)
            .Select(g => new { Id = g.Key!.Value, Count = g.Count() }).ToDictionaryAsync(g => g.Id, g => g.Count, cancellationToken);
        return (await ListAsync(db, cancellationToken)).Select(r => r with { Leads = used.GetValueOrDefault(r.Id) }).ToList();
    }

    /// <summary>Adds a reason (<paramref name="id"/> null) at the end of the list, or renames one. Throws <see cref="ArgumentException"/> with a readable message.</summary>
    public async Task<int> SaveAsync(int? id, string name, bool needsText, ClaimsPrincipal? actor, CancellationToken cancellationToken = default)
    {
        name = (name ?? "").Trim();
        if (name.Length == 0)
        {
            throw new ArgumentException("A reason needs a name.", nameof(name));
        }

        if (name.Length > DisqualifyReason.MaxNameLength)
        {
            throw new ArgumentException($"A reason's name can be at most {DisqualifyReason.MaxNameLength} characters.", nameof(name));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var all = await db.DisqualifyReasons.ToListAsync(cancellationToken);
        if (all.Any(r => r.Id != id && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"There is already a reason named \"{name}\".", nameof(name));
        }

        DisqualifyReason reason;
        if (id is { } existing)
        {
            reason = all.SingleOrDefault(r => r.Id == existing)
                ?? throw new ArgumentException("That reason was deleted meanwhile.", nameof(id));
        }
        else
        {
            reason = new DisqualifyReason { SortOrder = all.Count == 0 ? 1 : all.Max(r => r.SortOrder) + 1 };
            db.DisqualifyReasons.Add(reason);
        }

        var before = reason.Name;
        reason.Name = name;
        reason.NeedsText = needsText;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, id is null ? AuditActions.ReasonCreated : AuditActions.ReasonUpdated, name,
            id is null || before == name ? (needsText ? "needs a note" : null) : $"renamed from \"{before}\"", cancellationToken);
        return reason.Id;
    }

    /// <summary>Deletes a reason; the leads that carried it keep their status and show no reason. False when it was already gone.</summary>
    public async Task<bool> DeleteAsync(int id, ClaimsPrincipal? actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var reason = await db.DisqualifyReasons.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (reason is null)
        {
            return false;
        }

        // The reason first: a disqualification using it holds its row (LeadWorkflow), so this waits for that to commit,
        // and the leads are cleared after, seeing it. No lead is left pointing at a reason that is gone.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.DisqualifyReasons.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken);
        await db.Leads.Where(l => l.DisqualifyReasonId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.DisqualifyReasonId, (int?)null).SetProperty(l => l.Version, l => l.Version + 1), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.ReasonDeleted, reason.Name, cancellationToken: cancellationToken);
        return true;
    }
}
