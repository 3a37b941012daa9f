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
    int CompanyPeople = 0)
{
    /// <summary>The lead's open tasks, soonest first.</summary>
    public IReadOnlyList<TaskRow> Tasks { get; init; } = [];

    /// <summary>The name of the reason it was disqualified for, when it is.</summary>
    public string? ReasonName { get; init; }
}

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

        var tasks = await db.LeadTasks.AsNoTracking().Where(t => t.LeadId == id && t.DoneAt == null).OrderBy(t => t.DueAt).ThenBy(t => t.Id)
            .Select(TaskRow.FromTask).ToListAsync(cancellationToken);
        // "4 people from contoso.com": distinct addresses, this lead's included, read from the domain's index alone.
        var companyPeople = lead.CompanyDomain is { } domain
            ? await db.Leads.Where(l => l.CompanyDomain == domain).Select(l => l.EmailNormalized).Distinct().CountAsync(cancellationToken)
            : 0;
        return new LeadDetailView(lead, lead.Payload?.Body ?? "", lead.Owner?.Label, keyName, activities, samePerson, companyPeople)
        {
            Tasks = tasks,
            ReasonName = lead.DisqualifyReasonId is { } reasonId
                ? await db.DisqualifyReasons.Where(r => r.Id == reasonId).Select(r => r.Name).SingleOrDefaultAsync(cancellationToken)
                : null,
        };
    }

    /// <summary>
    /// Sets the lead's status with what goes with it (<paramref name="details"/>: the reason to disqualify, which is
    /// required, or the deal of a conversion). False when the status already was so. A reason deleted meanwhile, or
    /// missing, throws <see cref="ArgumentException"/> and nothing is saved.
    /// </summary>
    public async Task<bool> ChangeStatusAsync(long id, LeadStatus status, string? userId, StatusDetails? details = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw new LeadNotFoundException(id);
        if (lead.Status == status)
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var resolved = await ResolveAsync(db, status, details, cancellationToken);
        await ClaimOrThrowAsync(db, lead, cancellationToken);
        RecordStatus(db, lead, status, userId, time.GetUtcNow().UtcDateTime, resolved);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// A call, e-mail or meeting made outside LeadPortal, with its outcome (required) and a note (optional: the outcome
    /// says what happened). It counts as the lead's first response when it has none.
    /// </summary>
    public async Task LogContactAsync(long id, LeadActivityKind kind, string? outcome, string? note, string? userId, CancellationToken cancellationToken = default)
    {
        if (kind is not (LeadActivityKind.Call or LeadActivityKind.Email or LeadActivityKind.Meeting))
        {
            throw new ArgumentException("Only a call, an e-mail or a meeting can be logged.", nameof(kind));
        }

        outcome = ContactOutcomes.All.FirstOrDefault(o => string.Equals(o, outcome?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Choose how the {ContactOutcomes.Noun(kind)} went ({string.Join(", ", ContactOutcomes.All).ToLowerInvariant()}).", nameof(outcome));
        note = string.IsNullOrWhiteSpace(note) ? null : NoteText(note);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw new LeadNotFoundException(id);
        var now = time.GetUtcNow().UtcDateTime;
        db.LeadActivities.Add(new LeadActivity { LeadId = id, At = now, UserId = userId, Kind = kind, ToValue = outcome, Text = note });
        // In the same save as the activity: a lead is answered exactly when its first answer is on record.
        LeadResponse.Note(lead, now);
        await db.SaveChangesAsync(cancellationToken);
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

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ClaimOrThrowAsync(db, lead, cancellationToken);
        RecordOwner(db, lead, owner, userId, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// "Mark responded": the lead was answered in a way LeadPortal did not log (a reply from a mobile, a chat). Stops its
    /// response clock, in its timeline with who and when. False when it had been answered already (nothing recorded).
    /// </summary>
    public async Task<bool> MarkRespondedAsync(long id, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw new LeadNotFoundException(id);
        var now = time.GetUtcNow().UtcDateTime;
        if (!LeadResponse.Note(lead, now))
        {
            return false;
        }

        db.LeadActivities.Add(new LeadActivity { LeadId = id, At = now, UserId = userId, Kind = LeadActivityKind.MarkedResponded });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Ticks or unticks "Accepted in Partner Center" on a Contact me lead, with who and when (the lead and its timeline).
    /// False when it already was so. Other actions are not in Partner Center's list of leads to accept.
    /// </summary>
    public async Task<bool> SetAcceptedInPartnerCenterAsync(long id, bool accepted, string? userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw new LeadNotFoundException(id);
        if (lead.ActionCode != LeadPortal.Shared.LeadActions.ContactMe)
        {
            throw new ArgumentException("Only Contact me leads are accepted in Partner Center.", nameof(id));
        }

        if ((lead.PartnerCenterAcceptedAt is not null) == accepted)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var user = userId is null ? null : await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        lead.PartnerCenterAcceptedAt = accepted ? now : null;
        lead.PartnerCenterAcceptedBy = accepted ? user?.Label : null;
        db.LeadActivities.Add(new LeadActivity
        {
            LeadId = id,
            At = now,
            UserId = userId,
            Kind = LeadActivityKind.PartnerCenterAcceptance,
            ToValue = accepted ? "accepted" : "not accepted",
        });
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

    /// <summary>
    /// Sets the selected leads' status in one transaction, with the reason or deal that goes with it (as for one lead);
    /// leads whose status changed meanwhile are left alone.
    /// </summary>
    public async Task<BulkResult> ChangeStatusAsync(IReadOnlyList<BulkTarget> targets, LeadStatus status, string? userId, StatusDetails? details = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        ResolvedDetails? resolved = null;
        return await ChangeEachAsync(db, targets, cancellationToken,
            (lead, seen) => lead.Status == status ? Outcome.AlreadySo : lead.Status != seen.Status ? Outcome.ChangedMeanwhile : Outcome.Change,
            (lead, now) => RecordStatus(db, lead, status, userId, now, resolved!),
            async () => resolved = await ResolveAsync(db, status, details, cancellationToken));
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
        Func<Lead, BulkTarget, Outcome> decide, Action<Lead, DateTime> change, Func<Task>? first = null)
    {
        if (targets.Count > MaxBulk)
        {
            throw new ArgumentException($"At most {MaxBulk} leads can be changed at once.", nameof(targets));
        }

        var ids = targets.Select(t => t.Id).Distinct().ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (first is not null)
        {
            await first();
        }

        var leads = await db.Leads.Include(l => l.Owner).Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        int changed = 0, already = 0, meanwhile = 0;
        foreach (var target in targets.DistinctBy(t => t.Id))
        {
            if (!leads.TryGetValue(target.Id, out var lead))
            {
                continue;
            }

            var outcome = decide(lead, target);
            if (outcome == Outcome.Change && !await ClaimAsync(db, lead, cancellationToken))
            {
                // Saved by a colleague between this action's read and now: left as they made it.
                outcome = Outcome.ChangedMeanwhile;
            }

            switch (outcome)
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

    private const string ReasonGone = "That reason was deleted by an admin meanwhile; choose another one. Nothing was changed.";

    /// <summary>
    /// Takes the lead for a change inside the caller's transaction: raises <see cref="Lead.Version"/> only where it is
    /// still the one <paramref name="lead"/> was read with, which also holds the row until the transaction ends (a
    /// colleague's change then waits, and finds the version moved). False when a colleague saved the lead in between.
    /// </summary>
    public static async Task<bool> ClaimAsync(LeadPortalDbContext db, Lead lead, CancellationToken cancellationToken = default)
    {
        var seen = lead.Version;
        return await db.Leads.Where(l => l.Id == lead.Id && l.Version == seen)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Version, l => l.Version + 1), cancellationToken) == 1;
    }

    private static async Task ClaimOrThrowAsync(LeadPortalDbContext db, Lead lead, CancellationToken cancellationToken)
    {
        if (!await ClaimAsync(db, lead, cancellationToken))
        {
            throw new LeadChangedMeanwhileException();
        }
    }


    /// <summary>What a status change records besides the status, checked (inside the change's transaction): the reason exists, its note is there if needed, the deal is sane.</summary>
    private sealed record ResolvedDetails(int? ReasonId, string? ReasonName, string? ReasonNote, string? CrmId, decimal? DealValue);

    private static async Task<ResolvedDetails> ResolveAsync(LeadPortalDbContext db, LeadStatus status, StatusDetails? details, CancellationToken cancellationToken)
    {
        details ??= new StatusDetails();
        var note = string.IsNullOrWhiteSpace(details.ReasonNote) ? null : details.ReasonNote.Trim();
        if (status == LeadStatus.Disqualified)
        {
            if (details.ReasonId is not { } reasonId)
            {
                throw new ArgumentException("Choose why the lead is disqualified.", nameof(details));
            }

            // A no-op write takes the reason's row lock until this transaction ends: an admin deleting the reason now waits
            // for it, then clears it from these leads too (ReasonStore.DeleteAsync); one deleted before is not found.
            var locked = await db.DisqualifyReasons.Where(r => r.Id == reasonId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.SortOrder, r => r.SortOrder), cancellationToken);
            var reason = locked == 0 ? null : await db.DisqualifyReasons.AsNoTracking().SingleOrDefaultAsync(r => r.Id == reasonId, cancellationToken);
            if (reason is null)
            {
                throw new ArgumentException(ReasonGone, nameof(details));
            }
            if (reason.NeedsText && note is null)
            {
                throw new ArgumentException($"\"{reason.Name}\" needs a few words saying why.", nameof(details));
            }

            if (note?.Length > MaxReasonNoteLength)
            {
                throw new ArgumentException($"The reason's note can be at most {MaxReasonNoteLength} characters.", nameof(details));
            }

            return new ResolvedDetails(reason.Id, reason.Name, note, null, null);
        }

        if (status == LeadStatus.Converted)
        {
            var crmId = string.IsNullOrWhiteSpace(details.CrmId) ? null : details.CrmId.Trim();
            if (crmId?.Length > MaxCrmIdLength)
            {
                throw new ArgumentException($"A CRM id can be at most {MaxCrmIdLength} characters.", nameof(details));
            }

            if (details.DealValue is < 0 or > MaxDealValue)
            {
                throw new ArgumentException($"A deal value is between 0 and {MaxDealValue:N0}.", nameof(details));
            }

            return new ResolvedDetails(null, null, null, crmId, details.DealValue is { } value ? decimal.Round(value, 2) : null);
        }

        return new ResolvedDetails(null, null, null, null, null);
    }

    public const int MaxReasonNoteLength = 500;
    public const int MaxCrmIdLength = 100;
    public const decimal MaxDealValue = 1_000_000_000_000m;

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

    private static void RecordStatus(LeadPortalDbContext db, Lead lead, LeadStatus status, string? userId, DateTime now, ResolvedDetails details)
    {
        db.LeadActivities.Add(new LeadActivity
        {
            LeadId = lead.Id,
            At = now,
            UserId = userId,
            Kind = LeadActivityKind.StatusChanged,
            FromValue = lead.Status.ToString(),
            ToValue = status.ToString(),
            Text = StatusText(details),
        });
        // A reason and a deal describe the status they came with: another status takes them away (the timeline keeps them).
        lead.DisqualifyReasonId = details.ReasonId;
        lead.DisqualifyNote = details.ReasonNote;
        lead.CrmId = details.CrmId;
        lead.DealValue = details.DealValue;
        if (lead.Status == LeadStatus.New && status != LeadStatus.New)
        {
            LeadResponse.Note(lead, now);
        }

        lead.Status = status;
    }

    private static string? StatusText(ResolvedDetails details)
    {
        var parts = new List<string>();
        if (details.ReasonName is { } reason)
        {
            parts.Add(details.ReasonNote is { } note ? $"{reason}: {note}" : reason);
        }

        if (details.CrmId is { } crmId)
        {
            parts.Add($"CRM id {crmId}");
        }

        if (details.DealValue is { } value)
        {
            parts.Add($"deal value {value.ToString("N2", System.Globalization.CultureInfo.InvariantCulture)}");
        }

        return parts.Count == 0 ? null : string.Join(" · ", parts);
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

/// <summary>A colleague saved a change to the lead between this change's read and its write: nothing of it was saved.</summary>
public sealed class LeadChangedMeanwhileException() : Exception("A colleague changed this lead meanwhile; nothing was saved. Here is how it is now.");

/// <summary>
/// What a status change records besides the status: <paramref name="ReasonId"/> (required for Disqualified) and
/// its note, or the CRM id and deal value of a conversion.
/// </summary>
public sealed record StatusDetails(int? ReasonId = null, string? ReasonNote = null, string? CrmId = null, decimal? DealValue = null);

/// <summary>How a logged call, e-mail or meeting went.</summary>
public static class ContactOutcomes
{
    public static readonly IReadOnlyList<string> All = ["Reached", "Left voicemail", "No answer", "Wrong number", "Meeting booked"];

    public static string Noun(LeadActivityKind kind) => kind switch
    {
        LeadActivityKind.Email => "e-mail",
        LeadActivityKind.Meeting => "meeting",
        _ => "call",
    };
}
