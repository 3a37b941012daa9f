using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Leads;

public sealed record ActivityView(long Id, DateTime At, string? UserName, LeadActivityKind Kind, string? FromValue, string? ToValue, string? Text);

public sealed record LeadDetailView(
    Lead Lead,
    string RawBody,
    string? OwnerName,
    string? IntakeKeyName,
    IReadOnlyList<ActivityView> Activities,
    IReadOnlyList<LeadListRow> SamePerson);

/// <summary>Reading one lead and working it: status, owner and notes, each change recorded with who and when.</summary>
public sealed class LeadWorkflow(IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time)
{
    public const int MaxNoteLength = 4000;

    public async Task<LeadDetailView?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await db.Leads.AsNoTracking().Include(l => l.Payload).Include(l => l.Owner)
            .SingleOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lead is null)
        {
            return null;
        }

        var keyName = lead.IntakeKeyId is { } keyId
            ? await db.IntakeKeys.Where(k => k.Id == keyId).Select(k => k.Name).SingleOrDefaultAsync(cancellationToken)
            : null;
        var activities = await db.LeadActivities.AsNoTracking().Where(a => a.LeadId == id)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Select(a => new ActivityView(a.Id, a.At, a.User != null ? (a.User.DisplayName ?? a.User.Email) : null, a.Kind, a.FromValue, a.ToValue, a.Text))
            .ToListAsync(cancellationToken);
        IReadOnlyList<LeadListRow> samePerson = [];
        if (lead.EmailNormalized is { } email)
        {
            samePerson = await db.Leads.AsNoTracking().Where(l => l.EmailNormalized == email && l.Id != id)
                .OrderByDescending(l => l.ReceivedAt).Take(50)
                .Select(LeadQuery.ToListRow)
                .ToListAsync(cancellationToken);
        }

        return new LeadDetailView(lead, lead.Payload?.Body ?? "", lead.Owner?.Label, keyName, activities, samePerson);
    }

    public async Task<bool> ChangeStatusAsync(long id, LeadStatus status, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw new LeadNotFoundException(id);
        if (lead.Status == status)
        {
            return false;
        }

        db.LeadActivities.Add(new LeadActivity
        {
            LeadId = id,
            At = time.GetUtcNow().UtcDateTime,
            UserId = userId,
            Kind = LeadActivityKind.StatusChanged,
            FromValue = lead.Status.ToString(),
            ToValue = status.ToString(),
        });
        lead.Status = status;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<bool> AssignOwnerAsync(long id, string? ownerId, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await db.Leads.Include(l => l.Owner).SingleOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw new LeadNotFoundException(id);
        ownerId = string.IsNullOrEmpty(ownerId) ? null : ownerId;
        if (lead.OwnerId == ownerId)
        {
            return false;
        }

        AppUser? owner = null;
        if (ownerId is not null)
        {
            owner = await db.Users.SingleOrDefaultAsync(u => u.Id == ownerId, cancellationToken)
                ?? throw new ArgumentException("That user does not exist.", nameof(ownerId));
        }

        db.LeadActivities.Add(new LeadActivity
        {
            LeadId = id,
            At = time.GetUtcNow().UtcDateTime,
            UserId = userId,
            Kind = LeadActivityKind.OwnerChanged,
            FromValue = lead.Owner?.Label,
            ToValue = owner?.Label,
        });
        lead.OwnerId = ownerId;
        if (ownerId is not null && ownerId != userId)
        {
            // In the same commit as the change: the new owner's mail cannot be lost to a crash.
            db.OutboxEvents.Add(new OutboxEvent
            {
                Kind = OutboxEventKind.LeadAssigned,
                LeadId = id,
                UserId = ownerId,
                ActorId = userId,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task AddNoteAsync(long id, string text, string? userId, CancellationToken cancellationToken = default)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            throw new ArgumentException("A note needs some text.", nameof(text));
        }

        if (text.Length > MaxNoteLength)
        {
            throw new ArgumentException($"A note can be at most {MaxNoteLength} characters.", nameof(text));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Leads.AnyAsync(l => l.Id == id, cancellationToken))
        {
            throw new LeadNotFoundException(id);
        }

        db.LeadActivities.Add(new LeadActivity
        {
            LeadId = id,
            At = time.GetUtcNow().UtcDateTime,
            UserId = userId,
            Kind = LeadActivityKind.Note,
            Text = text,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}

public sealed class LeadNotFoundException(long id) : Exception($"Lead {id} does not exist.");
