using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Background;

/// <summary>Takes and renews <see cref="JobLease"/> rows with one conditional UPDATE each, so two instances never both hold one.</summary>
public static class JobLeases
{
    /// <summary>True when this holder now holds the lease until <paramref name="now"/> + <paramref name="duration"/>.</summary>
    public static async Task<bool> TryTakeAsync(
        LeadPortalDbContext db, string name, string holder, TimeSpan duration, DateTime now, CancellationToken cancellationToken)
    {
        var until = now + duration;
        var taken = await db.JobLeases
            .Where(l => l.Name == name && (l.Holder == holder || l.Until < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.Until, until), cancellationToken);
        if (taken == 1)
        {
            return true;
        }

        if (await db.JobLeases.AnyAsync(l => l.Name == name, cancellationToken))
        {
            return false;
        }

        db.JobLeases.Add(new JobLease { Name = name, Holder = holder, Until = until });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another instance created it at the same moment: theirs.
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>
    /// Takes the lease for <paramref name="duration"/> if it ran out (free, due, or left by a holder that stopped
    /// renewing it), whoever held it last: true when this holder now has it.
    /// </summary>
    public static async Task<bool> TryTakeDueAsync(
        LeadPortalDbContext db, string name, string holder, TimeSpan duration, DateTime now, CancellationToken cancellationToken)
    {
        var until = now + duration;
        if (await db.JobLeases.Where(l => l.Name == name && l.Until < now)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.Until, until), cancellationToken) == 1)
        {
            return true;
        }

        if (await db.JobLeases.AnyAsync(l => l.Name == name, cancellationToken))
        {
            return false;
        }

        db.JobLeases.Add(new JobLease { Name = name, Holder = holder, Until = until });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear(); // another instance created it at the same moment: theirs
            return false;
        }
    }

    /// <summary>Moves this holder's lease to <paramref name="until"/>; false when another holder has it now.</summary>
    public static async Task<bool> RenewAsync(LeadPortalDbContext db, string name, string holder, DateTime until, CancellationToken cancellationToken) =>
        await db.JobLeases.Where(l => l.Name == name && l.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Until, until), cancellationToken) == 1;

    /// <summary>Who holds the lease now, or null when it is free.</summary>
    public static async Task<string?> HolderAsync(LeadPortalDbContext db, string name, DateTime now, CancellationToken cancellationToken) =>
        await db.JobLeases.Where(l => l.Name == name && l.Until >= now).Select(l => l.Holder).SingleOrDefaultAsync(cancellationToken);

    public static Task ReleaseAsync(LeadPortalDbContext db, string name, string holder, CancellationToken cancellationToken) =>
        db.JobLeases.Where(l => l.Name == name && l.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Until, DateTime.UnixEpoch), cancellationToken);
}
