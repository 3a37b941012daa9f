using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using LeadPortal.Accounts;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Leads;
using LeadPortal.Mapping;
using LeadPortal.Quality;
using LeadPortal.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LeadPortal.Export;

/// <summary>What to export: a profile and the inbox's filter, in the viewer's time zone.</summary>
public sealed record ExportRequest(int ProfileId, LeadFilter Filter, TimeZoneInfo Zone, bool OnlyNew);

/// <param name="Leads">How many leads the filter holds for the profile (some may still be left out as incomplete).</param>
/// <param name="Files">How many files they would be (estimated where a byte limit applies).</param>
/// <param name="Refused">Whether the profile would refuse the export rather than split it.</param>
/// <param name="Limit">The profile's file limit in words ("50,000 rows"), or "none".</param>
public sealed record ExportPlan(int Leads, int Files, bool Refused, string Limit);

/// <summary>
/// Streams leads through a mapping profile into CSV, a row at a time from the database, and records the run
/// (with the exact leads it held) only after the whole file was sent without the browser hanging up: a broken
/// download marks nothing and leaves an audit row saying so.
/// </summary>
public sealed class ExportService(IDbContextFactory<LeadPortalDbContext> dbFactory, AuditLog audit, TimeProvider time, Infrastructure.AppMetrics? metrics = null)
{
    /// <summary>The export projection of leads, run by the database; notes only for a mapping that uses them.</summary>
    public static IQueryable<LeadRow> Rows(LeadPortalDbContext db, IQueryable<Lead> leads, CompiledMapping mapping) => mapping.ReadsNotes
        ? leads.Select(l => new LeadRow(
            l.Id, l.ReceivedAt, l.Source, l.ActionCode, l.OfferId, l.OfferTitle, l.LeadSourceRaw, l.Description,
            l.FirstName, l.LastName, l.Email, l.Phone, l.Country, l.Company, l.Title, l.IsTest, l.Status.ToString(),
            l.Owner != null ? (l.Owner.DisplayName ?? l.Owner.Email) : null, l.Owner != null ? l.Owner.Email : null,
            string.Join(" | ", db.LeadActivities.Where(a => a.LeadId == l.Id && a.Kind == LeadActivityKind.Note).OrderBy(a => a.Id).Select(a => a.Text)))
        {
            PhoneE164 = l.PhoneE164, PhoneExtension = l.PhoneExtension, PhoneValidity = l.PhoneValidity, EmailValidity = l.EmailValidity,
            DisqualifyReason = db.DisqualifyReasons.Where(r => r.Id == l.DisqualifyReasonId).Select(r => r.Name).FirstOrDefault(),
            DisqualifyNote = l.DisqualifyNote, CrmId = l.CrmId, DealValue = l.DealValue,
            Origin = l.Origin, OriginName = l.OriginName,
            CompanyDomain = l.CompanyDomain, Quality = l.Quality, QualityReasons = l.QualityReasons,
            CampaignId = l.CampaignId, CampaignSource = l.CampaignSource, CampaignFields = l.CampaignFields,
        })
        : leads.Select(l => new LeadRow(
            l.Id, l.ReceivedAt, l.Source, l.ActionCode, l.OfferId, l.OfferTitle, l.LeadSourceRaw, l.Description,
            l.FirstName, l.LastName, l.Email, l.Phone, l.Country, l.Company, l.Title, l.IsTest, l.Status.ToString(),
            l.Owner != null ? (l.Owner.DisplayName ?? l.Owner.Email) : null, l.Owner != null ? l.Owner.Email : null, null)
        {
            PhoneE164 = l.PhoneE164, PhoneExtension = l.PhoneExtension, PhoneValidity = l.PhoneValidity, EmailValidity = l.EmailValidity,
            DisqualifyReason = db.DisqualifyReasons.Where(r => r.Id == l.DisqualifyReasonId).Select(r => r.Name).FirstOrDefault(),
            DisqualifyNote = l.DisqualifyNote, CrmId = l.CrmId, DealValue = l.DealValue,
            Origin = l.Origin, OriginName = l.OriginName,
            CompanyDomain = l.CompanyDomain, Quality = l.Quality, QualityReasons = l.QualityReasons,
            CampaignId = l.CampaignId, CampaignSource = l.CampaignSource, CampaignFields = l.CampaignFields,
        });

    /// <summary>The leads an export of this profile and filter holds, oldest first.</summary>
    public static IQueryable<Lead> Select(LeadPortalDbContext db, ExportRequest request, CompiledMapping mapping)
    {
        var leads = LeadQuery.Apply(db, request.Filter, request.Zone);
        if (!mapping.IncludeTestLeads && request.Filter.ShowTest)
        {
            leads = leads.WithoutTestLeads();
        }

        if (!mapping.IncludeDoNotContact)
        {
            leads = leads.Where(l => l.ActionCode != LeadActions.DoNotContact);
        }

        if (request.OnlyNew)
        {
            var profileId = request.ProfileId;
            leads = leads.Where(l => !db.ExportRunLeads.Any(e => e.ProfileId == profileId && e.LeadId == l.Id));
        }

        return leads.OrderBy(l => l.ReceivedAt).ThenBy(l => l.Id);
    }

    public async Task<int> ExportAsync(
        ExportRequest request, StoredProfile profile, CompiledMapping mapping, string filterQuery, ExportFile file, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var tally = new ExportTally();
        int count;
        try
        {
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var rows = Select(db, request, mapping);
                count = await CsvExportWriter.WriteAsync(mapping, Rows(db, rows, mapping).AsAsyncEnumerable(), file.NextPartAsync, cancellationToken, tally);
                metrics?.ExportRows.Add(count);
            }

            await file.CompleteAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await BrokenOffAsync(user, profile.Name, tally.Written.Count, request, CancellationToken.None);
            throw;
        }

        var run = new ExportRun
        {
            At = time.GetUtcNow().UtcDateTime,
            UserId = user.UserId(),
            UserName = user.Identity?.Name,
            ProfileId = profile.Id,
            ProfileName = profile.Name,
            DefinitionJson = MappingProfileStore.Serialize(profile.Definition),
            FilterDescription = Describe(request.Filter, request.OnlyNew),
            FilterQuery = filterQuery,
            OnlyNew = request.OnlyNew,
            RowCount = count,
            FileCount = file.Parts,
            SkippedCount = tally.SkippedCount,
            SkippedLeadIds = string.Join(',', tally.Skipped),
        };
        await RecordAsync(run, tally.Written, CancellationToken.None);

        // Recorded before the file's end goes out, so that whoever has read the file to its end finds its leads marked
        // (the next "only not yet exported" export follows at once in a script); taken back if the browser was gone by then.
        if (!await file.EndAsync())
        {
            await RemoveRunAsync(run.Id, CancellationToken.None);
            await BrokenOffAsync(user, profile.Name, count, request, CancellationToken.None);
            throw new OperationCanceledException(cancellationToken);
        }

        var skipped = tally.SkippedCount > 0 ? $" ({tally.SkippedCount} left out: the CRM would refuse them)" : "";
        var files = file.Parts > 1 ? $" in {file.Parts} files" : "";
        await audit.RecordAsync(user, AuditActions.ExportDownloaded, profile.Name, $"{count} rows{files}{skipped} · {run.FilterDescription}", CancellationToken.None);
        return count;
    }

    private Task BrokenOffAsync(ClaimsPrincipal user, string profileName, int sent, ExportRequest request, CancellationToken cancellationToken) =>
        audit.RecordAsync(user, AuditActions.ExportBrokenOff, profileName,
            $"The download was broken off after {sent} rows: no lead was marked exported · {Describe(request.Filter, request.OnlyNew)}",
            cancellationToken);

    /// <summary>
    /// What an export would be, for the dialog before the download: how many leads the filter holds for it, and into how
    /// many files the profile's limits would split them (rows exact, bytes estimated from the first leads' rows).
    /// </summary>
    public async Task<ExportPlan> PlanAsync(ExportRequest request, CompiledMapping mapping, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leads = Select(db, request, mapping);
        var count = await leads.CountAsync(cancellationToken);
        var files = 1;
        if (count > 0 && mapping.MaxRowsPerFile is { } maxRows)
        {
            files = Math.Max(files, (int)Math.Ceiling(count / (double)maxRows));
        }

        if (count > 0 && mapping.MaxBytesPerFile is { } maxBytes)
        {
            var sample = await Rows(db, leads.Take(PlanSample), mapping).ToListAsync(cancellationToken);
            var average = sample.Where(mapping.Includes).Select(r => mapping.Map(r)).Where(m => m.IsComplete)
                .Select(m => (double)CsvExportWriter.RecordBytes(m.Values)).DefaultIfEmpty(0).Average();
            files = Math.Max(files, (int)Math.Ceiling(count * average / maxBytes));
        }

        return new ExportPlan(count, files, mapping.OverLimit == OverLimit.Refuse && files > 1, ExportFile.LimitText(mapping));
    }

    private const int PlanSample = 200;

    /// <summary>Writes a past run again: the same leads, through the definition as it was then.</summary>
    public async Task<int> ExportAgainAsync(ExportRun run, CompiledMapping mapping, ExportFile file, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        int count;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var runId = run.Id;
            var leads = db.Leads.AsNoTracking()
                .Where(l => db.ExportRunLeads.Any(e => e.ExportRunId == runId && e.LeadId == l.Id))
                .OrderBy(l => l.ReceivedAt).ThenBy(l => l.Id);
            count = await CsvExportWriter.WriteAsync(mapping, Rows(db, leads, mapping).AsAsyncEnumerable(), file.NextPartAsync, cancellationToken);
            metrics?.ExportRows.Add(count);
        }

        // Broken off, it throws (or ends undelivered) before the audit says "downloaded again"; it marks nothing either way.
        await file.CompleteAsync(cancellationToken);
        if (!await file.EndAsync())
        {
            throw new OperationCanceledException(cancellationToken);
        }

        await audit.RecordAsync(user, AuditActions.ExportDownloaded, run.ProfileName, $"Run {run.Id} downloaded again, {count} rows", CancellationToken.None);
        return count;
    }

    /// <summary>
    /// "The CRM refused this file": the run's leads count as not yet exported with its profile again, so the next
    /// "only not yet exported" export holds them. The run stays in the history, marked undone, and can still be
    /// downloaded again. False when there is no such run or it was undone already.
    /// </summary>
    public async Task<bool> UndoAsync(long runId, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var name = user.Identity?.Name;
        var marked = await db.ExportRuns.Where(r => r.Id == runId && r.UndoneAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.UndoneAt, now).SetProperty(r => r.UndoneBy, name), cancellationToken);
        if (marked == 0)
        {
            return false;
        }

        var leads = await db.ExportRunLeads.Where(e => e.ExportRunId == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ProfileId, (int?)null), cancellationToken);
        var run = await db.ExportRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await audit.RecordAsync(user, AuditActions.ExportUndone, run.ProfileName,
            $"Run {runId} of {run.At:yyyy-MM-dd HH:mm} UTC undone: {leads} leads count as not yet exported again", CancellationToken.None);
        return true;
    }

    public async Task<ExportRun?> GetRunAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ExportRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    public async Task<(IReadOnlyList<ExportRun> Rows, int Total)> GetHistoryAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var total = await db.ExportRuns.CountAsync(cancellationToken);
        var rows = await db.ExportRuns.AsNoTracking().OrderByDescending(r => r.At).ThenByDescending(r => r.Id)
            .Skip(Math.Max(0, page) * pageSize).Take(Math.Clamp(pageSize, 1, 200)).ToListAsync(cancellationToken);
        return (rows, total);
    }

    public static string FileName(string profileName, DateTime at)
    {
        var slug = new string(profileName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        return $"leads-{slug.Trim('-')}-{at:yyyy-MM-dd}.csv";
    }

    public static string Describe(LeadFilter filter, bool onlyNew)
    {
        var parts = DescribeParts(filter, onlyNew);
        return parts.Count == 0 ? "All leads" : string.Join(" · ", parts);
    }

    /// <summary>What <see cref="Describe"/> joins: one part per filter ("Country: SE"); none for all leads.</summary>
    public static IReadOnlyList<string> DescribeParts(LeadFilter filter, bool onlyNew)
    {
        var parts = new List<string>();
        if (filter.From is not null || filter.To is not null)
        {
            parts.Add($"Received {filter.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "…"} – {filter.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "…"}");
        }

        void Add(string label, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{label}: {value}");
            }
        }

        Add("Offer", filter.Offer);
        Add("Action", filter.Action is null ? null : LeadActions.Label(filter.Action));
        Add("Source", filter.Source);
        Add("Country", filter.Country);
        Add("Company domain", filter.Domain is null ? null : CompanyDomains.Display(filter.Domain));
        Add("Campaign", filter.Campaign);
        Add("Quality", filter.Quality is { } quality ? QualityWords.Rating(quality) : null);
        Add("Email validity", filter.EmailValidity?.ToString());
        Add("Phone validity", filter.PhoneValidity?.ToString());
        Add("Status", filter.Status?.ToString());
        Add("Origin", filter.Origin is { } origin ? LeadOrigins.Label(origin) : null);
        Add("From", filter.OriginName);
        Add("Owner", filter.Owner switch { LeadFilter.Unassigned => "unassigned", LeadFilter.Me => "me", null => null, _ => "one user" });
        Add("Selected", filter.Ids is null ? null : $"{filter.IdList.Count} leads");
        Add("Task", filter.Due ? "due today" : null);
        Add("Disqualify reason", filter.Reason is null ? null : "one reason");
        Add("Response", filter.Clock switch
        {
            ClockFilter.Soon => "due soon",
            ClockFilter.Overdue => "overdue",
            ClockFilter.Expiring => "expiring in Partner Center",
            _ => null,
        });
        Add("Partner Center", filter.NotAcceptedInPartnerCenter ? "not accepted" : null);
        Add("Search", LeadQuery.SearchText(filter.Text) is { } text ? $"\"{text}\"" : null);
        if (filter.ShowTest)
        {
            parts.Add("test leads shown");
        }

        if (onlyNew)
        {
            parts.Add("only not yet exported");
        }

        return parts;
    }

    /// <summary>A run whose file never arrived: gone with its leads, which count as not yet exported again.</summary>
    private async Task RemoveRunAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.ExportRunLeads.Where(e => e.ExportRunId == runId).ExecuteDeleteAsync(cancellationToken);
        await db.ExportRuns.Where(r => r.Id == runId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The run and its leads in one transaction, the leads through one prepared command.</summary>
    private async Task RecordAsync(ExportRun run, List<long> leadIds, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ExportRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);

        await ExportRunLeadsSql.InsertAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction(), run.Id, run.ProfileId, leadIds, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
