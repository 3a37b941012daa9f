using System.Security.Claims;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Forwarding;

/// <summary>A destination as the list and detail pages show it, with its deliveries counted.</summary>
public sealed record DestinationSummary(
    int Id, string Name, string Url, ForwardBody Body, string? ProfileName, string[] Actions, string[] Offers,
    bool IncludeTest, bool IncludeDoNotContact, int TimeoutSeconds, bool Paused, bool FromConfiguration,
    int Pending, int Parked, int Delivered, DateTime? LastDeliveredAt, string? DisabledReason = null, DateTime? DisabledAt = null)
{
    /// <summary>Paused by the sender itself (the receiver answered 410 Gone), not by an admin.</summary>
    public bool SwitchedOff => Paused && DisabledAt is not null;
}

/// <summary>What the add/edit dialog edits. Lists are one entry a line.</summary>
public sealed class DestinationInput
{
    public string? Name { get; set; }
    public string? Url { get; set; }

    /// <summary>A new secret (<c>whsec_…</c>); empty keeps the current one, or generates one for a new destination.</summary>
    public string? Secret { get; set; }

    public ForwardBody Body { get; set; } = ForwardBody.Raw;
    public int? MappingProfileId { get; set; }
    public string? Actions { get; set; }
    public string? Offers { get; set; }
    public bool IncludeTest { get; set; }
    public bool IncludeDoNotContact { get; set; }
    public int TimeoutSeconds { get; set; } = DestinationRules.DefaultTimeoutSeconds;
}

/// <param name="NewSecret">The secret generated for a new destination, to show once (it can be revealed again later, audited).</param>
public sealed record DestinationSaveResult(int? Id, IReadOnlyList<string> Errors, string? NewSecret = null)
{
    public bool Succeeded => Id is not null;
}

public sealed record DeliveryRow(
    long Id, long? LeadId, string? LeadName, string MessageId, OutboxStatus Status, int Attempts, DateTime CreatedAt,
    DateTime NextAttemptAt, DateTime? DeliveredAt, int? LastStatusCode, string? LastError);

public sealed record AttemptRow(long Id, DateTime At, int? StatusCode, string? Error, string? ResponseStart, int DurationMs);

/// <summary>Forwarding destinations and their deliveries, for the admin pages: validated changes (all or nothing), each audited.</summary>
public sealed class ForwardingStore(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    DestinationSecrets secrets,
    ForwardSender sender,
    OutboxSignals signals,
    AuditLog audit,
    IOptionsMonitor<ForwardingOptions> options,
    TimeProvider time,
    ILogger<ForwardingStore> logger)
{
    public async Task<IReadOnlyList<DestinationSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await SummariesAsync(db, db.ForwardingDestinations, cancellationToken);
    }

    public async Task<DestinationSummary?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await SummariesAsync(db, db.ForwardingDestinations.Where(d => d.Id == id), cancellationToken)).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<DestinationSummary>> SummariesAsync(
        LeadPortalDbContext db, IQueryable<ForwardingDestination> destinations, CancellationToken cancellationToken)
    {
        var rows = await destinations.AsNoTracking().OrderBy(d => d.Name)
            .Select(d => new { Destination = d, Profile = db.MappingProfiles.Where(p => p.Id == d.MappingProfileId).Select(p => p.Name).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Destination.Id).ToList();
        var counts = await db.ForwardDeliveries.Where(d => ids.Contains(d.DestinationId))
            .GroupBy(d => new { d.DestinationId, d.Status })
            .Select(g => new { g.Key.DestinationId, g.Key.Status, Count = g.Count(), Last = g.Max(d => d.DeliveredAt) })
            .ToListAsync(cancellationToken);
        int Count(int id, OutboxStatus status) => counts.Where(c => c.DestinationId == id && c.Status == status).Sum(c => c.Count);
        return rows.Select(r => r.Destination).Select(d => new DestinationSummary(
                d.Id, d.Name, d.Url, d.Body, rows.First(r => r.Destination.Id == d.Id).Profile,
                DestinationRules.SplitList(d.Actions), DestinationRules.SplitList(d.Offers), d.IncludeTest, d.IncludeDoNotContact,
                d.TimeoutSeconds, d.Paused, d.FromConfiguration,
                Count(d.Id, OutboxStatus.Pending), Count(d.Id, OutboxStatus.Parked), Count(d.Id, OutboxStatus.Done),
                counts.Where(c => c.DestinationId == d.Id && c.Status == OutboxStatus.Done).Max(c => c.Last),
                d.DisabledReason, d.DisabledAt))
            .ToList();
    }

    /// <summary>The dialog's values for an existing destination (the secret is never put in the form).</summary>
    public async Task<DestinationInput?> GetInputAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var d = await db.ForwardingDestinations.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        return d is null ? null : new DestinationInput
        {
            Name = d.Name,
            Url = d.Url,
            Body = d.Body,
            MappingProfileId = d.MappingProfileId,
            Actions = d.Actions,
            Offers = d.Offers,
            IncludeTest = d.IncludeTest,
            IncludeDoNotContact = d.IncludeDoNotContact,
            TimeoutSeconds = d.TimeoutSeconds,
        };
    }

    /// <summary>Creates (id null) or updates a destination after checking everything; nothing is stored when anything is wrong.</summary>
    public async Task<DestinationSaveResult> SaveAsync(int? id, DestinationInput input, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        var name = input.Name?.Trim() ?? "";
        var url = input.Url?.Trim() ?? "";
        var secret = string.IsNullOrWhiteSpace(input.Secret) ? null : input.Secret.Trim();
        var errors = new List<string>();
        errors.AddRange(DestinationRules.NameProblems(name));
        var allowPrivateNetworks = options.CurrentValue.AllowPrivateNetworks;
        var urlProblems = DestinationRules.UrlProblems(url, allowPrivateNetworks).ToList();
        if (urlProblems.Count == 0 && !allowPrivateNetworks && await DestinationAddresses.RefusalAsync(new Uri(url), cancellationToken) is { } refusal)
        {
            urlProblems.Add(refusal);
        }

        errors.AddRange(urlProblems);
        if (secret is not null && WebhookSigner.SecretProblem(secret) is { } secretProblem)
        {
            errors.Add(secretProblem);
        }

        if (DestinationRules.TimeoutProblem(input.TimeoutSeconds) is { } timeoutProblem)
        {
            errors.Add(timeoutProblem);
        }

        if (!Enum.IsDefined(input.Body))
        {
            errors.Add("Choose the body: the raw Partner Center JSON or a mapping profile's columns.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (input.Body == ForwardBody.Mapped
            && (input.MappingProfileId is not { } profileId || !await db.MappingProfiles.AnyAsync(p => p.Id == profileId, cancellationToken)))
        {
            errors.Add("Choose the mapping profile whose columns make the body.");
        }

        var names = await db.ForwardingDestinations.Where(d => d.Id != id).Select(d => d.Name).ToListAsync(cancellationToken);
        if (name.Length > 0 && names.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"A destination named \"{name}\" already exists.");
        }

        ForwardingDestination? destination = null;
        if (id is { } existing)
        {
            destination = await db.ForwardingDestinations.SingleOrDefaultAsync(d => d.Id == existing, cancellationToken);
            if (destination is null)
            {
                return new DestinationSaveResult(null, ["This destination no longer exists."]);
            }

            if (destination.FromConfiguration)
            {
                return new DestinationSaveResult(null, [$"\"{destination.Name}\" is declared in configuration ({ForwardingOptions.Section}:Destinations); change it there."]);
            }
        }

        if (errors.Count > 0)
        {
            return new DestinationSaveResult(null, errors);
        }

        string? generated = null;
        if (destination is null)
        {
            destination = new ForwardingDestination { CreatedAt = time.GetUtcNow().UtcDateTime };
            db.ForwardingDestinations.Add(destination);
            if (secret is null)
            {
                secret = generated = WebhookSigner.GenerateSecret();
            }
        }

        destination.Name = name;
        destination.Url = url;
        if (secret is not null)
        {
            destination.SecretProtected = secrets.Protect(secret);
        }

        destination.Body = input.Body;
        destination.MappingProfileId = input.Body == ForwardBody.Mapped ? input.MappingProfileId : null;
        destination.Actions = DestinationRules.NormalizeList(input.Actions);
        destination.Offers = DestinationRules.NormalizeList(input.Offers);
        destination.IncludeTest = input.IncludeTest;
        destination.IncludeDoNotContact = input.IncludeDoNotContact;
        destination.TimeoutSeconds = input.TimeoutSeconds;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another admin saved the same name a moment ago: the unique index said no, and nothing was stored.
            if (await NameTakenAsync(name, id, cancellationToken))
            {
                return new DestinationSaveResult(null, [$"A destination named \"{name}\" already exists."]);
            }

            throw;
        }

        await audit.RecordAsync(actor, id is null ? AuditActions.ForwardingCreated : AuditActions.ForwardingUpdated, name,
            $"{url}{(secret is not null && id is not null ? "; new secret" : "")}", cancellationToken);
        return new DestinationSaveResult(destination.Id, [], generated);
    }

    private async Task<bool> NameTakenAsync(string name, int? id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ForwardingDestinations.AnyAsync(d => d.Name == name && d.Id != id, cancellationToken);
    }

    /// <summary>Deletes a destination with its deliveries and their attempts; null when done, else why not.</summary>
    public async Task<string?> DeleteAsync(int id, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var destination = await db.ForwardingDestinations.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (destination is null)
        {
            return "This destination no longer exists.";
        }

        if (destination.FromConfiguration)
        {
            return $"\"{destination.Name}\" is declared in configuration; remove it there (it is then paused, and can be deleted here).";
        }

        db.ForwardingDestinations.Remove(destination);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.ForwardingDeleted, destination.Name, null, cancellationToken);
        return null;
    }

    /// <summary>Pauses (deliveries keep being queued, none sent) or resumes; null when done, else why not.</summary>
    public async Task<string?> SetPausedAsync(int id, bool paused, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var destination = await db.ForwardingDestinations.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (destination is null)
        {
            return "This destination no longer exists.";
        }

        if (!paused && destination.FromConfiguration)
        {
            try
            {
                secrets.SecretFor(destination);
            }
            catch (ForwardingException ex)
            {
                return ex.Message;
            }
        }

        destination.Paused = paused;
        if (!paused)
        {
            // Resumed by an admin: whatever switched it off is their business now. Its parked deliveries stay parked
            // until replayed, so a receiver that is still gone is not sent a day's leads at once.
            destination.DisabledReason = null;
            destination.DisabledAt = null;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, paused ? AuditActions.ForwardingPaused : AuditActions.ForwardingResumed, destination.Name, null, cancellationToken);
        if (!paused)
        {
            signals.Forwarding.Set();
        }

        return null;
    }

    /// <summary>Puts one parked delivery back in the queue, due now; its attempts so far are kept.</summary>
    public async Task<bool> ReplayAsync(long deliveryId, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var target = await db.ForwardDeliveries.Where(d => d.Id == deliveryId)
            .Select(d => new { d.MessageId, Destination = db.ForwardingDestinations.Where(x => x.Id == d.DestinationId).Select(x => x.Name).First() })
            .SingleOrDefaultAsync(cancellationToken);
        var replayed = await Replay(db, db.ForwardDeliveries.Where(d => d.Id == deliveryId), cancellationToken);
        if (replayed > 0)
        {
            await audit.RecordAsync(actor, AuditActions.ForwardingReplayed, target!.Destination, $"Delivery {target.MessageId}", cancellationToken);
        }

        return replayed > 0;
    }

    /// <summary>Puts every parked delivery of a destination back in the queue; returns how many.</summary>
    public async Task<int> ReplayParkedAsync(int destinationId, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.ForwardingDestinations.Where(d => d.Id == destinationId).Select(d => d.Name).SingleOrDefaultAsync(cancellationToken);
        var replayed = await Replay(db, db.ForwardDeliveries.Where(d => d.DestinationId == destinationId), cancellationToken);
        if (replayed > 0)
        {
            await audit.RecordAsync(actor, AuditActions.ForwardingReplayed, name, $"{replayed} parked deliveries", cancellationToken);
        }

        return replayed;
    }

    private async Task<int> Replay(LeadPortalDbContext db, IQueryable<ForwardDelivery> deliveries, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var replayed = await deliveries.Where(d => d.Status == OutboxStatus.Parked)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, OutboxStatus.Pending)
                .SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.ClaimedBy, (string?)null)
                .SetProperty(d => d.ClaimedUntil, (DateTime?)null), cancellationToken);
        signals.Forwarding.Set();
        return replayed;
    }

    /// <summary>Sends a synthetic validation lead now (see <see cref="ForwardSender.SendTestAsync"/>), audited with its result.</summary>
    public async Task<AttemptOutcome> SendTestAsync(int destinationId, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        var outcome = await sender.SendTestAsync(destinationId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.ForwardingDestinations.Where(d => d.Id == destinationId).Select(d => d.Name).SingleOrDefaultAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.ForwardingTestSent, name,
            outcome.Delivered ? $"Delivered: {outcome.StatusCode}" : $"Failed: {outcome.Error}", cancellationToken);
        return outcome;
    }

    /// <summary>The signing secret of a destination kept in the table, audited; null for one from configuration.</summary>
    public async Task<string?> RevealSecretAsync(int id, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var destination = await db.ForwardingDestinations.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (destination is null || destination.FromConfiguration)
        {
            return null;
        }

        var secret = secrets.SecretFor(destination);
        await audit.RecordAsync(actor, AuditActions.ForwardingSecretRevealed, destination.Name, null, cancellationToken);
        return secret;
    }

    /// <summary>A page of a destination's deliveries, newest first, optionally of one status.</summary>
    public async Task<(IReadOnlyList<DeliveryRow> Rows, int Total)> DeliveriesAsync(
        int destinationId, OutboxStatus? status, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deliveries = db.ForwardDeliveries.AsNoTracking().Where(d => d.DestinationId == destinationId);
        if (status is { } s)
        {
            deliveries = deliveries.Where(d => d.Status == s);
        }

        var total = await deliveries.CountAsync(cancellationToken);
        var rows = await deliveries.OrderByDescending(d => d.Id).Skip(page * pageSize).Take(pageSize)
            .Select(d => new DeliveryRow(
                d.Id, d.LeadId,
                db.Leads.Where(l => l.Id == d.LeadId).Select(l => ((l.FirstName ?? "") + " " + (l.LastName ?? "")).Trim() + (l.Company != null ? " · " + l.Company : "")).FirstOrDefault(),
                d.MessageId, d.Status, d.Attempts, d.CreatedAt, d.NextAttemptAt, d.DeliveredAt, d.LastStatusCode, d.LastError))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }

    public async Task<IReadOnlyList<AttemptRow>> AttemptsAsync(long deliveryId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ForwardAttempts.AsNoTracking().Where(a => a.DeliveryId == deliveryId).OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Select(a => new AttemptRow(a.Id, a.At, a.StatusCode, a.Error, a.ResponseStart, a.DurationMs))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Brings the table in step with <c>Forwarding:Destinations</c>, by name: declared ones are added or updated (their
    /// secret stays in configuration) and paused or not as it says, and ones no longer declared are paused, not deleted, so
    /// their log stays.
    /// </summary>
    public async Task SyncConfigurationAsync(ForwardingOptions options, CancellationToken cancellationToken = default)
    {
        try
        {
            await SyncOnceAsync(options, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance starting at the same moment added the same name first: sync against its rows.
            await SyncOnceAsync(options, cancellationToken);
        }
    }

    private async Task SyncOnceAsync(ForwardingOptions options, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.ForwardingDestinations.ToListAsync(cancellationToken);
        var profiles = await db.MappingProfiles.Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken);
        var declared = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var configured in options.Destinations.Where(d => !string.IsNullOrWhiteSpace(d?.Name)))
        {
            var name = configured.Name!.Trim();
            declared.Add(name);
            var row = stored.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
            if (row is null)
            {
                row = new ForwardingDestination { CreatedAt = now };
                db.ForwardingDestinations.Add(row);
            }
            else if (!row.FromConfiguration)
            {
                logger.LogWarning("Forwarding destination {Name} is now declared in configuration, which replaces the one made in the app.", name);
            }

            int? profileId = null;
            if (configured.Body == ForwardBody.Mapped)
            {
                profileId = profiles.FirstOrDefault(p => string.Equals(p.Name, configured.MappingProfile?.Trim(), StringComparison.OrdinalIgnoreCase))?.Id;
                if (profileId is null)
                {
                    logger.LogError("Forwarding destination {Name}: there is no mapping profile named {Profile}; its deliveries fail until there is one.",
                        name, configured.MappingProfile);
                }
            }

            var url = configured.Url!.Trim();
            if (row.DisabledAt is not null && row.Url != url)
            {
                // Switched off for what the old URL answered: a new URL is a new start.
                row.DisabledReason = null;
                row.DisabledAt = null;
            }

            row.Name = name;
            row.Url = url;
            row.SecretProtected = null;
            row.Body = configured.Body;
            row.MappingProfileId = profileId;
            row.Actions = DestinationRules.JoinList(configured.Actions);
            row.Offers = DestinationRules.JoinList(configured.Offers);
            row.IncludeTest = configured.IncludeTest;
            row.IncludeDoNotContact = configured.IncludeDoNotContact;
            row.TimeoutSeconds = configured.TimeoutSeconds;
            // Configuration is the truth at start: a destination declared again after its removal paused it is resumed.
            // Not one the sender switched off (its receiver answered 410 Gone): restarting must not send to it again.
            row.Paused = configured.Paused || row.DisabledAt is not null;
            row.FromConfiguration = true;
        }

        foreach (var gone in stored.Where(d => d.FromConfiguration && !declared.Contains(d.Name) && !d.Paused))
        {
            logger.LogWarning("Forwarding destination {Name} is no longer declared in configuration: paused (its deliveries are kept).", gone.Name);
            gone.Paused = true;
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
