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
    IReadOnlyList<LeadListRow> SamePerson,
    int CompanyPeople = 0);

/// <summary>Reading one lead and working it: status, owner and notes, each change recorded with who and when.</summary>
public sealed class LeadWorkflow(IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time)
{
    public const int MaxNoteLength = 4000;

    /// <summary>The most leads one bulk action changes (a page of the inbox is at most 100).</summary>
    public const int MaxBulk = 500;

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
        // One person by address or by number (E.164: "070-123 45 67" and "+46 70 123 45 67" are one number, and an
        // extension is not part of it); only a valid number matches, so "1234567890" does not join strangers.
        IReadOnlyList<LeadListRow> samePerson = [];
        var (email, phone) = (lead.EmailNormalized, lead.PhoneE164);
        if (email is not null || phone is not null)
        {
            // Each column's own index serves its half (SQLite's OR-by-union, PostgreSQL's BitmapOr).
            var others = db.Leads.AsNoTracking().Where(l => l.Id != id);
            others = (email, phone) switch
            {
                (not null, not null) => others.Where(l => l.EmailNormalized == email || l.PhoneE164 == phone),
                (not null, null) => others.Where(l => l.EmailNormalized == email),
                _ => others.Where(l => l.PhoneE164 == phone),
            };
            samePerson = await others
                .OrderByDescending(l => l.ReceivedAt).Take(50)
                .Select(LeadQuery.ToListRow)
                .ToListAsync(cancellationToken);
        }

        // "4 people from contoso.com": distinct addresses, this lead's included, read from the domain's index alone.
        var companyPeople = lead.CompanyDomain is { } domain
            ? await db.Leads.Where(l => l.CompanyDomain == domain).Select(l => l.EmailNormalized).Distinct().CountAsync(cancellationToken)
            : 0;
        return new LeadDetailView(lead, lead.Payload?.Body ?? "", lead.Owner?.Label, keyName, activities, samePerson, companyPeople);
    }

    public async Task<bool> ChangeStatusAsync(long id, LeadStatus status, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw new LeadNotFoundException(id);
        if (lead.Status == status)
        {
            return false;
        }

        RecordStatus(db, lead, status, userId, time.GetUtcNow().UtcDateTime);
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

        RecordOwner(db, lead, owner, userId, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Sets or clears the follow-up day; recorded in the lead's timeline. False when it was already so.</summary>
    public async Task<bool> SetFollowUpAsync(long id, DateOnly? day, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw new LeadNotFoundException(id);
        if (lead.FollowUpOn == day)
        {
            return false;
        }

        db.LeadActivities.Add(new LeadActivity
        {
            LeadId = id,
            At = time.GetUtcNow().UtcDateTime,
            UserId = userId,
            Kind = LeadActivityKind.FollowUpChanged,
            FromValue = lead.FollowUpOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ToValue = day?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        });
        lead.FollowUpOn = day;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task AddNoteAsync(long id, string text, string? userId, CancellationToken cancellationToken = default)
    {
        text = NoteText(text);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Leads.AnyAsync(l => l.Id == id, cancellationToken))
        {
            throw new LeadNotFoundException(id);
        }

        RecordNote(db, id, text, userId, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Assigns the selected leads in one transaction, each change in its lead's timeline. A lead whose owner is no
    /// longer the one the user saw when selecting it was changed by someone else meanwhile and is left alone.
    /// </summary>
    public async Task<BulkResult> AssignOwnerAsync(IReadOnlyList<BulkTarget> targets, string? ownerId, string? userId, CancellationToken cancellationToken = default)
    {
        ownerId = string.IsNullOrEmpty(ownerId) ? null : ownerId;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        AppUser? owner = null;
        if (ownerId is not null)
        {
            owner = await db.Users.SingleOrDefaultAsync(u => u.Id == ownerId && !u.IsDisabled, cancellationToken)
                ?? throw new ArgumentException("That user does not exist or is disabled.", nameof(ownerId));
        }

        return await ChangeEachAsync(db, targets, cancellationToken,
            (lead, seen) => lead.OwnerId == ownerId ? Outcome.AlreadySo : lead.OwnerId != seen.OwnerId ? Outcome.ChangedMeanwhile : Outcome.Change,
            (lead, now) => RecordOwner(db, lead, owner, userId, now));
    }

    /// <summary>Sets the selected leads' status in one transaction; leads whose status changed meanwhile are left alone.</summary>
    public async Task<BulkResult> ChangeStatusAsync(IReadOnlyList<BulkTarget> targets, LeadStatus status, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ChangeEachAsync(db, targets, cancellationToken,
            (lead, seen) => lead.Status == status ? Outcome.AlreadySo : lead.Status != seen.Status ? Outcome.ChangedMeanwhile : Outcome.Change,
            (lead, now) => RecordStatus(db, lead, status, userId, now));
    }

    /// <summary>Adds the same note to each selected lead, in one transaction.</summary>
    public async Task<BulkResult> AddNoteAsync(IReadOnlyList<BulkTarget> targets, string text, string? userId, CancellationToken cancellationToken = default)
    {
        text = NoteText(text);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ChangeEachAsync(db, targets, cancellationToken, (_, _) => Outcome.Change, (lead, now) => RecordNote(db, lead.Id, text, userId, now));
    }

    private enum Outcome
    {
        Change,
        AlreadySo,
        ChangedMeanwhile,
    }

    private async Task<BulkResult> ChangeEachAsync(
        LeadPortalDbContext db, IReadOnlyList<BulkTarget> targets, CancellationToken cancellationToken,
        Func<Lead, BulkTarget, Outcome> decide, Action<Lead, DateTime> change)
    {
        if (targets.Count > MaxBulk)
        {
            throw new ArgumentException($"At most {MaxBulk} leads can be changed at once.", nameof(targets));
        }

        var ids = targets.Select(t => t.Id).Distinct().ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var leads = await db.Leads.Include(l => l.Owner).Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        int changed = 0, already = 0, meanwhile = 0;
        foreach (var target in targets.DistinctBy(t => t.Id))
        {
            if (!leads.TryGetValue(target.Id, out var lead))
            {
                continue;
            }

            switch (decide(lead, target))
            {
                case Outcome.Change:
                    change(lead, now);
                    changed++;
                    break;
                case Outcome.AlreadySo:
                    already++;
                    break;
                default:
                    meanwhile++;
                    break;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new BulkResult(changed, already, meanwhile, ids.Count - leads.Count);
    }

    private static string NoteText(string text)
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

        return text;
    }

    private static void RecordStatus(LeadPortalDbContext db, Lead lead, LeadStatus status, string? userId, DateTime now)
    {
        db.LeadActivities.Add(new LeadActivity
        {
            LeadId = lead.Id,
            At = now,
            UserId = userId,
            Kind = LeadActivityKind.StatusChanged,
            FromValue = lead.Status.ToString(),
            ToValue = status.ToString(),
        });
        if (lead.Status == LeadStatus.New && status != LeadStatus.New)
        {
            LeadResponse.Note(lead, now);
        }

        lead.Status = status;
    }

    private static void RecordOwner(LeadPortalDbContext db, Lead lead, AppUser? owner, string? userId, DateTime now)
    {
        db.LeadActivities.Add(new LeadActivity
        {
            LeadId = lead.Id,
            At = now,
            UserId = userId,
            Kind = LeadActivityKind.OwnerChanged,
            FromValue = lead.Owner?.Label,
            ToValue = owner?.Label,
        });
        lead.OwnerId = owner?.Id;
        lead.Owner = owner;
        if (owner is not null && owner.Id != userId)
        {
            // In the same commit as the change: the new owner's mail cannot be lost to a crash.
            db.OutboxEvents.Add(new OutboxEvent
            {
                Kind = OutboxEventKind.LeadAssigned,
                LeadId = lead.Id,
                UserId = owner.Id,
                ActorId = userId,
                CreatedAt = now,
            });
        }
    }

    private static void RecordNote(LeadPortalDbContext db, long leadId, string text, string? userId, DateTime now) =>
        db.LeadActivities.Add(new LeadActivity
        {
            LeadId = leadId,
            At = now,
            UserId = userId,
            Kind = LeadActivityKind.Note,
            Text = text,
        });
}

/// <summary>A selected lead as the user saw it when selecting: what a bulk change expects to find.</summary>
public sealed record BulkTarget(long Id, string? OwnerId, LeadStatus Status);

/// <summary>What a bulk action did: changed, already so, changed by someone else meanwhile (left alone), gone.</summary>
public sealed record BulkResult(int Changed, int AlreadySo, int ChangedMeanwhile, int Missing)
{
    /// <summary>"18 assigned; 2 changed by someone else meanwhile" — what the user reads after the action.</summary>
    public string Describe(string done)
    {
        var parts = new List<string> { $"{Changed} {done}" };
        if (AlreadySo > 0)
        {
            parts.Add($"{AlreadySo} already so");
        }

        if (ChangedMeanwhile > 0)
        {
            parts.Add($"{ChangedMeanwhile} changed by someone else meanwhile (left as they are)");
        }

        if (Missing > 0)
        {
            parts.Add($"{Missing} no longer there");
        }

        return string.Join("; ", parts);
    }
}

public sealed class LeadNotFoundException(long id) : Exception($"Lead {id} does not exist.");
