using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Leads;

/// <summary>An open task as the lead page and "My tasks" show it; <see cref="DueAt"/> is UTC.</summary>
public sealed record TaskRow(long Id, long LeadId, string Text, DateTime DueAt, string? OwnerId, string? OwnerName)
{
    public static readonly System.Linq.Expressions.Expression<Func<LeadTask, TaskRow>> FromTask = t => new TaskRow(
        t.Id, t.LeadId, t.Text, t.DueAt, t.OwnerId, t.Owner != null ? (t.Owner.DisplayName ?? t.Owner.Email) : null);
}

/// <summary>A task in "My tasks": the lead it is about, named.</summary>
public sealed record MyTaskRow(long Id, long LeadId, string Text, DateTime DueAt, string? FirstName, string? LastName, string? Company, string? ActionCode)
{
    public string LeadName => string.Join(' ', new[] { FirstName, LastName }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } name
        ? name
        : Company ?? $"Lead {LeadId}";
}

/// <summary>
/// Follow-ups as tasks: text, a due time entered in the viewer's zone, and an owner, who is reminded when it falls due
/// (<see cref="Notifications.NotificationScheduler"/>). Each added or finished task is in the lead's timeline.
/// </summary>
public sealed class LeadTasks(IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time)
{
    public const int MaxTextLength = 500;

    /// <summary>
    /// Adds a task due at <paramref name="dueLocal"/> in <paramref name="zone"/>. A time already past, a time the zone
    /// skips (a DST gap), no text or an unknown owner is refused with <see cref="ArgumentException"/>; nothing is saved.
    /// </summary>
    public async Task<long> AddAsync(long leadId, string? text, DateTime dueLocal, TimeZoneInfo zone, string? ownerId, string? userId, CancellationToken cancellationToken = default)
    {
        text = text?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw new ArgumentException("Say what is to be done (e.g. \"Call back about pricing\").", nameof(text));
        }

        if (text.Length > MaxTextLength)
        {
            throw new ArgumentException($"A task's text can be at most {MaxTextLength} characters.", nameof(text));
        }

        var local = DateTime.SpecifyKind(dueLocal, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            throw new ArgumentException($"{local:yyyy-MM-dd HH:mm} does not exist in {zone.Id} (the clocks skip it); choose another time.", nameof(dueLocal));
        }

        var due = TimeZoneInfo.ConvertTimeToUtc(local, zone);
        var now = time.GetUtcNow().UtcDateTime;
        if (due <= now)
        {
            throw new ArgumentException($"{local:ddd d MMM yyyy HH:mm} has already passed; a task is due later than now.", nameof(dueLocal));
        }

        if (string.IsNullOrEmpty(ownerId))
        {
            throw new ArgumentException("Choose who is to do it.", nameof(ownerId));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Leads.AnyAsync(l => l.Id == leadId, cancellationToken))
        {
            throw new LeadNotFoundException(leadId);
        }

        if (!await db.Users.AnyAsync(u => u.Id == ownerId && !u.IsDisabled, cancellationToken))
        {
            throw new ArgumentException("That user does not exist or is disabled.", nameof(ownerId));
        }

        var task = new LeadTask { LeadId = leadId, Text = text, DueAt = due, OwnerId = ownerId, CreatedAt = now, CreatedById = userId };
        db.LeadTasks.Add(task);
        db.LeadActivities.Add(new LeadActivity
        {
            LeadId = leadId,
            At = now,
            UserId = userId,
            Kind = LeadActivityKind.TaskAdded,
            ToValue = due.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            Text = text,
        });
        await db.SaveChangesAsync(cancellationToken);
        return task.Id;
    }

    /// <summary>Marks a task done. False when it was already done or is gone.</summary>
    public async Task<bool> CompleteAsync(long taskId, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var task = await db.LeadTasks.SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null || task.DoneAt is not null)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        task.DoneAt = now;
        db.LeadActivities.Add(new LeadActivity { LeadId = task.LeadId, At = now, UserId = userId, Kind = LeadActivityKind.TaskDone, Text = task.Text });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The user's open tasks, soonest first (overdue ones first of all), at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<MyTaskRow>> MineAsync(string userId, int max = 200, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.LeadTasks.AsNoTracking().Where(t => t.OwnerId == userId && t.DoneAt == null)
            .OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(max)
            .Select(t => new MyTaskRow(t.Id, t.LeadId, t.Text, t.DueAt, t.Lead!.FirstName, t.Lead.LastName, t.Lead.Company, t.Lead.ActionCode))
            .ToListAsync(cancellationToken);
    }
}
