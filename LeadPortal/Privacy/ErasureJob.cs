using System.Security.Claims;
using System.Text.Json;
using LeadPortal.Accounts;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Background;
using LeadPortal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Privacy;

/// <summary>How far an erasure got; <see cref="Result"/> once it is over.</summary>
public sealed record ErasureProgress(bool Running, string Stage, int Leads, int LeadsErased, int Mentions, DateTime? StartedAt, DateTime? FinishedAt,
    string? Error, ErasureResult? Result)
{
    public static readonly ErasureProgress None = new(false, "", 0, 0, 0, null, null, null, null);

    public double Percent => Running ? Math.Min(99, Leads == 0 ? 50 : 80.0 * LeadsErased / Leads) : 100;
}

/// <summary>What an erasure removed and blanked.</summary>
public sealed record ErasureResult(int Leads, int Notes, int ExportMarks, int Mail, int ForwardDeliveries, int DeliveryBodyStarts, int OtherMentions)
{
    public string Summary =>
        $"{Leads} lead(s), {Notes} note(s) and other activity, {ExportMarks} export mark(s), {Mail} e-mail(s) about them, "
        + $"{ForwardDeliveries} forwarding deliveries; {DeliveryBodyStarts} delivery-log body start(s) and {OtherMentions} other mention(s) blanked";
}

/// <summary>
/// Erases one person as a job that survives a crash: the audit entry saying it started is written first, the person's
/// leads go in small transactions (each with what refers to them), then every table that can mention them in free text
/// is read once, in id order, and each mention blanked; the entry saying it is done comes last. Where it got is committed
/// with each batch (a <see cref="JobRun"/> row and the person's traits, encrypted, in a <see cref="StoreSetting"/>), so an
/// instance that dies mid-way is replaced by another one that carries on from the last batch. The traits are deleted at
/// the end. One erasure at a time across every instance.
/// </summary>
public sealed class ErasureJob(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    IDataProtectionProvider dataProtection,
    InstanceIdentity instance,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<ErasureJob> logger) : ResumableJob(dbFactory, instance, options, time, logger)
{
    public const string JobName = "erasure";
    public const string StateKey = "privacy.erasure";

    /// <summary>The last erasure's counts (no trait of the person), for the page that started it.</summary>
    public const string ResultKey = "privacy.erasure.result";
    public const int LeadBatch = 200;
    public const int MentionBatch = 500;

    protected override string RunName => JobName;

    protected override string RunDescription => "erasing a person";

    /// <summary>A half-erased person is only helped by finishing: a failed batch is tried again when the lease runs out.</summary>
    protected override bool FailEndsRun => false;

    private readonly IDataProtector _protector = dataProtection.CreateProtector("LeadPortal.Privacy.Erasure.v1");

    /// <summary>The tables read for mentions, in order (stage 1 onwards; stage 0 is the person's own leads).</summary>
    private static readonly string[] Stages =
        ["Erasing the person's leads", "the delivery log", "export history", "saved views", "inbox settings", "the audit log", "e-mails", "notes on other leads"];

    private sealed class State
    {
        public PersonTraits Traits { get; set; } = new("", [], [], []);
        public int Stage { get; set; }
        public long LastId { get; set; }
        public string LastKey { get; set; } = "";
        public int Leads { get; set; }
        public int Notes { get; set; }
        public int ExportMarks { get; set; }
        public int Mail { get; set; }
        public int ForwardDeliveries { get; set; }
        public int LeadsErased { get; set; }
        public int DeliveryBodyStarts { get; set; }
        public int OtherMentions { get; set; }
    }

    public async Task<ErasureProgress> GetProgressAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await DbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Name == JobName, cancellationToken);
        if (run is null || run.StartedAt == default)
        {
            return ErasureProgress.None;
        }

        var state = run.Running ? await ReadStateAsync(db, cancellationToken) : null;
        ErasureResult? result = null;
        if (!run.Running && await db.StoreSettings.AsNoTracking().Where(s => s.Key == ResultKey).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken) is { } last)
        {
            result = JsonSerializer.Deserialize<ErasureResult>(last);
        }

        return new ErasureProgress(run.Running, state is null ? "" : Stages[Math.Min(state.Stage, Stages.Length - 1)], run.Total, run.Processed, run.Changed,
            run.StartedAt, run.FinishedAt, run.Error, result);
    }

    /// <summary>Starts erasing the address: null when started, else why not.</summary>
    public async Task<string?> StartAsync(ClaimsPrincipal actor, string address, CancellationToken cancellationToken = default)
    {
        var normalized = PersonalData.Normalize(address) ?? throw new ArgumentException("Enter an e-mail address.", nameof(address));
        await using (var db = await DbFactory.CreateDbContextAsync(cancellationToken))
        {
            var leads = PersonalData.OfPerson(db.Leads, normalized);
            var ids = leads.Select(l => l.Id);
            var traits = await PersonalData.TraitsAsync(db, normalized, cancellationToken);
            var state = new State
            {
                Traits = traits,
                Leads = await leads.CountAsync(cancellationToken),
                Notes = await db.LeadActivities.CountAsync(a => ids.Contains(a.LeadId), cancellationToken),
                ExportMarks = await db.ExportRunLeads.CountAsync(r => ids.Contains(r.LeadId), cancellationToken),
                Mail = await db.MailOutbox.CountAsync(m => m.LeadId != null && ids.Contains(m.LeadId.Value), cancellationToken),
                ForwardDeliveries = await db.ForwardDeliveries.CountAsync(d => d.LeadId != null && ids.Contains(d.LeadId.Value), cancellationToken),
            };

            // The job's row made outside the transaction: on PostgreSQL a second instance's failed insert inside it would
            // abort the whole transaction, where here it only means the row is there.
            await JobRuns.EnsureAsync(db, JobName, cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var runningOn = await JobRuns.TryStartAsync(db, JobName, Instance.Name, actor.UserId(), actor.Identity?.Name, state.Leads,
                Time.GetUtcNow().UtcDateTime, Lease, cancellationToken);
            if (runningOn is not null)
            {
                return runningOn == Instance.Name ? "An erasure is already going on; wait for it to finish." : $"An erasure is already going on {runningOn}; wait for it to finish.";
            }

            await WriteStateAsync(db, state, cancellationToken);
            // Written first, in the same commit as the job: a crash from here on leaves a started erasure that is resumed, never
            // one that nobody recorded.
            db.AuditLog.Add(new AuditEntry
            {
                At = Time.GetUtcNow().UtcDateTime, UserId = actor.UserId(), UserName = actor.Identity?.Name, Action = AuditActions.PersonErasureStarted,
                Target = "A person (the address is not recorded)", Details = $"{state.Leads} lead(s) to erase",
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        RunHere(resumed: false);
        RaiseProgressChanged();
        return null;
    }

    /// <summary>One batch in one transaction with the job's state and lease; false when the job is over (or no longer ours).</summary>
    protected override async Task<bool> RunBatchAsync(CancellationToken stopping)
    {
        await using var db = await DbFactory.CreateDbContextAsync(stopping);
        await using var transaction = await db.Database.BeginTransactionAsync(stopping);
        var now = Time.GetUtcNow().UtcDateTime;
        if (!await JobRuns.RenewAsync(db, JobName, Instance.Name, now + Lease, stopping))
        {
            Logger.LogWarning("This instance no longer holds the erasure (another one took it over); stopping here.");
            return false;
        }

        if (await ReadStateAsync(db, stopping) is not { } state)
        {
            // Cannot happen (the state is written in the commit that starts the run); if it does, retrying cannot help.
            await JobRuns.FinishAsync(db, JobName, Instance.Name, now, "The erasure's state is missing from the store; start it again.", stopping);
            await transaction.CommitAsync(stopping);
            Logger.LogError("An erasure's state is missing from the store; the run is ended. Start the erasure again.");
            return false;
        }

        var matcher = PersonMatcher.For(state.Traits);
        int processed = 0, changed = 0;
        if (state.Stage == 0)
        {
            var address = state.Traits.Address;
            var ids = await PersonalData.OfPerson(db.Leads, address).OrderBy(l => l.Id).Take(LeadBatch).Select(l => l.Id).ToListAsync(stopping);
            if (ids.Count == 0)
            {
                state.Stage = 1;
            }
            else
            {
                processed = await PersonalData.DeleteLeadsAsync(db, ids, stopping);
                state.LeadsErased += processed;
            }
        }
        else if (state.Stage < Stages.Length)
        {
            var (read, blanked, bodyStarts) = await BlankMentionsAsync(db, state, matcher, stopping);
            changed = blanked;
            state.DeliveryBodyStarts += bodyStarts;
            state.OtherMentions += blanked - bodyStarts;
            if (read < MentionBatch)
            {
                state.Stage++;
                state.LastId = 0;
                state.LastKey = "";
            }
        }

        if (state.Stage >= Stages.Length)
        {
            await FinishAsync(db, transaction, state, now, stopping);
            return false;
        }

        await WriteStateAsync(db, state, stopping);
        await db.SaveChangesAsync(stopping);
        await db.JobRuns.Where(r => r.Name == JobName).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Processed, r => r.Processed + processed).SetProperty(r => r.Changed, r => r.Changed + changed), stopping);
        await transaction.CommitAsync(stopping);
        return true;
    }

    private async Task FinishAsync(LeadPortalDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, State state, DateTime now, CancellationToken stopping)
    {
        // A lead from the address that arrived while the tables were read goes too (its mentions were not there yet).
        var late = await PersonalData.OfPerson(db.Leads, state.Traits.Address).Select(l => l.Id).ToListAsync(stopping);
        state.LeadsErased += late.Count == 0 ? 0 : await PersonalData.DeleteLeadsAsync(db, late, stopping);
        await db.StoreSettings.Where(s => s.Key == StateKey).ExecuteDeleteAsync(stopping);
        await JobRuns.FinishAsync(db, JobName, Instance.Name, now, null, stopping);
        var run = await db.JobRuns.AsNoTracking().SingleAsync(r => r.Name == JobName, stopping);
        var result = new ErasureResult(state.LeadsErased, state.Notes, state.ExportMarks, state.Mail, state.ForwardDeliveries, state.DeliveryBodyStarts,
            state.OtherMentions);
        // Written last, in the commit that ends the job: "erased" is never recorded for an erasure that did not finish.
        db.AuditLog.Add(new AuditEntry
        {
            At = now, UserId = run.StartedById, UserName = run.StartedBy, Action = AuditActions.PersonErased,
            Target = "A person (the address is not recorded)",
            Details = result.Summary + (run.TakenOver > 0 ? $"; resumed by another instance {run.TakenOver} time(s)" : ""),
        });
        var kept = await db.StoreSettings.SingleOrDefaultAsync(s => s.Key == ResultKey, stopping);
        if (kept is null)
        {
            db.StoreSettings.Add(kept = new StoreSetting { Key = ResultKey });
        }

        kept.Value = JsonSerializer.Serialize(result);
        await db.SaveChangesAsync(stopping);
        await transaction.CommitAsync(stopping);

        try
        {
            if (await db.Dialect.ReclaimErasedAsync(db, stopping) is { } notReclaimed)
            {
                Logger.LogWarning("After an erasure: {What}", notReclaimed);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "After an erasure, emptying the store's write-ahead log failed; its next checkpoint does it.");
        }

        RaiseProgressChanged();
    }

    /// <summary>Reads the next batch of the stage's table and blanks each mention: (rows read, rows changed, delivery-log body starts among them).</summary>
    private static async Task<(int Read, int Changed, int BodyStarts)> BlankMentionsAsync(LeadPortalDbContext db, State state, PersonMatcher matcher, CancellationToken cancellationToken)
    {
        var after = state.LastId;
        int changed = 0, bodyStarts = 0;
        bool Blank<T>(T row, Func<T, string?> get, Action<T, string?> set)
        {
            var before = get(row);
            var blanked = matcher.Blank(before);
            if (ReferenceEquals(before, blanked))
            {
                return false;
            }

            set(row, blanked);
            return true;
        }

        switch (state.Stage)
        {
            case 1:
            {
                var rows = await db.DeliveryLog.Where(d => d.Id > after && (d.BodyStart != null || d.Reason != null)).OrderBy(d => d.Id).Take(MentionBatch).ToListAsync(cancellationToken);
                foreach (var row in rows)
                {
                    var body = Blank(row, r => r.BodyStart, (r, v) => r.BodyStart = v);
                    if (body | Blank(row, r => r.Reason, (r, v) => r.Reason = v))
                    {
                        changed++;
                        bodyStarts += body ? 1 : 0;
                    }
                }

                state.LastId = rows.Count > 0 ? rows[^1].Id : after;
                return (rows.Count, changed, bodyStarts);
            }
            case 2:
            {
                var rows = await db.ExportRuns.Where(r => r.Id > after).OrderBy(r => r.Id).Take(MentionBatch).ToListAsync(cancellationToken);
                changed = rows.Count(row => Blank(row, r => r.FilterDescription, (r, v) => r.FilterDescription = v ?? "") | Blank(row, r => r.FilterQuery, (r, v) => r.FilterQuery = v ?? ""));
                state.LastId = rows.Count > 0 ? rows[^1].Id : after;
                return (rows.Count, changed, 0);
            }
            case 3:
            {
                var rows = await db.SavedViews.Where(v => v.Id > after).OrderBy(v => v.Id).Take(MentionBatch).ToListAsync(cancellationToken);
                changed = rows.Count(row => Blank(row, r => r.Query, (r, v) => r.Query = v ?? "") | Blank(row, r => r.Name, (r, v) => r.Name = v ?? PersonalData.Erased));
                state.LastId = rows.Count > 0 ? rows[^1].Id : after;
                return (rows.Count, changed, 0);
            }
            case 4:
            {
                var last = state.LastKey;
                var rows = await db.InboxSettings.Where(s => string.Compare(s.UserId, last) > 0).OrderBy(s => s.UserId).Take(MentionBatch).ToListAsync(cancellationToken);
                changed = rows.Count(row => Blank(row, r => r.LastQuery, (r, v) => r.LastQuery = v));
                state.LastKey = rows.Count > 0 ? rows[^1].UserId : last;
                return (rows.Count, changed, 0);
            }
            case 5:
            {
                var rows = await db.AuditLog.Where(a => a.Id > after).OrderBy(a => a.Id).Take(MentionBatch).ToListAsync(cancellationToken);
                // Erasures' own entries name nobody, and their words ("A person …") must not be taken for a surname.
                changed = rows.Where(a => a.Action is not (AuditActions.PersonErasureStarted or AuditActions.PersonErased)).Count(row => Blank(row, r => r.Target, (r, v) => r.Target = v) | Blank(row, r => r.Details, (r, v) => r.Details = v));
                state.LastId = rows.Count > 0 ? rows[^1].Id : after;
                return (rows.Count, changed, 0);
            }
            case 6:
            {
                var rows = await db.MailOutbox.Where(m => m.Id > after).OrderBy(m => m.Id).Take(MentionBatch).ToListAsync(cancellationToken);
                changed = rows.Count(row => Blank(row, r => r.Subject, (r, v) => r.Subject = v ?? "") | Blank(row, r => r.TextBody, (r, v) => r.TextBody = v ?? "")
                    | Blank(row, r => r.HtmlBody, (r, v) => r.HtmlBody = v ?? "") | Blank(row, r => r.LastError, (r, v) => r.LastError = v));
                state.LastId = rows.Count > 0 ? rows[^1].Id : after;
                return (rows.Count, changed, 0);
            }
            default:
            {
                var rows = await db.LeadActivities.Where(a => a.Id > after && (a.Text != null || a.FromValue != null || a.ToValue != null)).OrderBy(a => a.Id)
                    .Take(MentionBatch).ToListAsync(cancellationToken);
                changed = rows.Count(row => Blank(row, r => r.Text, (r, v) => r.Text = v) | Blank(row, r => r.FromValue, (r, v) => r.FromValue = v)
                    | Blank(row, r => r.ToValue, (r, v) => r.ToValue = v));
                state.LastId = rows.Count > 0 ? rows[^1].Id : after;
                return (rows.Count, changed, 0);
            }
        }
    }

    private async Task<State?> ReadStateAsync(LeadPortalDbContext db, CancellationToken cancellationToken)
    {
        var value = await db.StoreSettings.AsNoTracking().Where(s => s.Key == StateKey).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken);
        return value is null ? null : JsonSerializer.Deserialize<State>(_protector.Unprotect(value));
    }

    /// <summary>The person's traits are what finds their mentions once their leads are gone: kept encrypted, and only while the job runs.</summary>
    private async Task WriteStateAsync(LeadPortalDbContext db, State state, CancellationToken cancellationToken)
    {
        var value = _protector.Protect(JsonSerializer.Serialize(state));
        var setting = await db.StoreSettings.SingleOrDefaultAsync(s => s.Key == StateKey, cancellationToken);
        if (setting is null)
        {
            db.StoreSettings.Add(new StoreSetting { Key = StateKey, Value = value });
        }
        else
        {
            setting.Value = value;
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
