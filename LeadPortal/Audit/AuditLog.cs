using System.Security.Claims;
using LeadPortal.Accounts;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Audit;

/// <summary>Records admin actions. Call it after the action succeeded, with the acting user.</summary>
public sealed class AuditLog(IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time)
{
    public async Task RecordAsync(ClaimsPrincipal? actor, string action, string? target, string? details = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.AuditLog.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            UserId = actor?.UserId(),
            UserName = actor?.Identity?.Name,
            Action = action,
            Target = target,
            Details = details,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>The audit verbs, in one place so the Audit page can offer them as a filter.</summary>
public static class AuditActions
{
    public const string UserCreated = "user.created";
    public const string UserRoleChanged = "user.role-changed";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserPasswordReset = "user.password-reset";
    public const string UserDeleted = "user.deleted";
    public const string KeyCreated = "key.created";
    public const string KeyRevoked = "key.revoked";
    public const string TestLeadSent = "endpoint.test-lead-sent";
    public const string ProfileCreated = "mapping.created";
    public const string ProfileUpdated = "mapping.updated";
    public const string ProfileDeleted = "mapping.deleted";
    public const string ExportDownloaded = "export.downloaded";
    public const string ExportUndone = "export.undone";

    /// <summary>A download the browser broke off: no run is recorded and no lead marked exported.</summary>
    public const string ExportBrokenOff = "export.broken-off";
    public const string ReprocessStarted = "reprocess.started";
    public const string ReprocessFinished = "reprocess.finished";
    public const string PersonErasureStarted = "privacy.person-erasure-started";
    public const string PersonErased = "privacy.person-erased";
    public const string PersonExported = "privacy.person-exported";
    public const string RetentionChanged = "privacy.retention-changed";
    public const string RetentionPurged = "privacy.retention-purged";
    public const string TestMailSent = "mail.test-sent";
    public const string MailRetried = "mail.retried";
    public const string ForwardingCreated = "forwarding.created";
    public const string ForwardingUpdated = "forwarding.updated";
    public const string ForwardingDeleted = "forwarding.deleted";
    public const string ForwardingPaused = "forwarding.paused";
    public const string ForwardingResumed = "forwarding.resumed";
    public const string TableSourceCreated = "table-source.created";
    public const string TableSourceDeleted = "table-source.deleted";
    public const string TableSourcePaused = "table-source.paused";
    public const string TableSourceResumed = "table-source.resumed";
    public const string ForwardingReplayed = "forwarding.replayed";
    public const string ForwardingTestSent = "forwarding.test-sent";
    public const string ForwardingSecretRevealed = "forwarding.secret-revealed";
    public const string AssignmentRuleCreated = "assignment.rule-created";
    public const string AssignmentRuleUpdated = "assignment.rule-updated";
    public const string AssignmentRuleDeleted = "assignment.rule-deleted";
    public const string AssignmentRulesReordered = "assignment.rules-reordered";
    public const string AssignmentApplied = "assignment.applied";
    public const string UserAwayChanged = "user.away-changed";
    public const string ReasonCreated = "reason.created";
    public const string ReasonUpdated = "reason.updated";
    public const string ReasonDeleted = "reason.deleted";
    public const string ResponseTimesChanged = "responses.times-changed";
    public const string QualityRuleSwitched = "quality.rule-switched";
    public const string CampaignParsingSwitched = "campaign.parsing-switched";
    public const string ImportChecked = "import.checked";
    public const string ImportFileRefused = "import.file-refused";
    public const string ImportStarted = "import.started";
    public const string ImportFinished = "import.finished";
    public const string ImportUndone = "import.undone";
    public const string ImportMappingSaved = "import.mapping-saved";

    public static readonly string[] All =
    [
        UserCreated, UserRoleChanged, UserDisabled, UserEnabled, UserPasswordReset, UserDeleted,
        KeyCreated, KeyRevoked, TestLeadSent, ProfileCreated, ProfileUpdated, ProfileDeleted,
        ExportDownloaded, ExportUndone, ExportBrokenOff, ReprocessStarted, ReprocessFinished,
        TestMailSent, MailRetried,
        ForwardingCreated, ForwardingUpdated, ForwardingDeleted, ForwardingPaused, ForwardingResumed, ForwardingReplayed,
        ForwardingTestSent, ForwardingSecretRevealed,
        PersonErasureStarted, PersonErased, PersonExported, RetentionChanged, RetentionPurged,
        AssignmentRuleCreated, AssignmentRuleUpdated, AssignmentRuleDeleted, AssignmentRulesReordered, AssignmentApplied, UserAwayChanged, ResponseTimesChanged,
        ReasonCreated, ReasonUpdated, ReasonDeleted, QualityRuleSwitched, CampaignParsingSwitched,
        ImportChecked, ImportFileRefused, ImportStarted, ImportFinished, ImportUndone, ImportMappingSaved,
    ];
}
