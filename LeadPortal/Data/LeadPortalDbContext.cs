using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LeadPortal.Data;

/// <summary>
/// The store's model, the same on every provider. Each provider has its own subclass (in <c>Data/Sqlite</c>,
/// <c>Data/Postgres</c>) with its own migrations, as EF Core's "Migrations with multiple providers" describes;
/// the app asks for this type (<c>IDbContextFactory&lt;LeadPortalDbContext&gt;</c>) and gets the configured one.
/// </summary>
public abstract class LeadPortalDbContext(DbContextOptions options)
    : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    /// <summary>How this provider does what plain EF LINQ cannot (see <see cref="StoreDialect"/>).</summary>
    public abstract StoreDialect Dialect { get; }

    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<LeadPayload> LeadPayloads => Set<LeadPayload>();
    public DbSet<LeadActivity> LeadActivities => Set<LeadActivity>();
    public DbSet<LeadTask> LeadTasks => Set<LeadTask>();
    public DbSet<DisqualifyReason> DisqualifyReasons => Set<DisqualifyReason>();
    public DbSet<IntakeKey> IntakeKeys => Set<IntakeKey>();
    public DbSet<DeliveryLogEntry> DeliveryLog => Set<DeliveryLogEntry>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<MappingProfile> MappingProfiles => Set<MappingProfile>();
    public DbSet<ExportRun> ExportRuns => Set<ExportRun>();
    public DbSet<ExportRunLead> ExportRunLeads => Set<ExportRunLead>();
    public DbSet<LeadSearchProgress> LeadSearchProgress => Set<LeadSearchProgress>();
    public DbSet<AuthSession> AuthSessions => Set<AuthSession>();
    public DbSet<OutboxEvent> OutboxEvents => Set<OutboxEvent>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();
    public DbSet<StoreSetting> StoreSettings => Set<StoreSetting>();
    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();
    public DbSet<OutgoingMail> MailOutbox => Set<OutgoingMail>();
    public DbSet<ForwardingDestination> ForwardingDestinations => Set<ForwardingDestination>();
    public DbSet<ForwardDelivery> ForwardDeliveries => Set<ForwardDelivery>();
    public DbSet<ForwardAttempt> ForwardAttempts => Set<ForwardAttempt>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<InboxSettings> InboxSettings => Set<InboxSettings>();
    public DbSet<AssignmentRule> AssignmentRules => Set<AssignmentRule>();
    public DbSet<AssignmentRuleUser> AssignmentRuleUsers => Set<AssignmentRuleUser>();
    public DbSet<TableSource> TableSources => Set<TableSource>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<ImportRefusal> ImportRefusals => Set<ImportRefusal>();
    public DbSet<SavedImportMapping> SavedImportMappings => Set<SavedImportMapping>();

    /// <summary>The data-protection key ring (cookies, antiforgery and reset tokens), kept and backed up with the data.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(LeadPortalDbContext).Assembly);

        // Rows of a provider's own text index, read through its StoreDialect only (no table of EF's own).
        builder.Entity<LeadSearchHit>().HasNoKey().ToView(null);

        // One row: every lead up to this id is in the free-text index (the intake writer indexes in blocks).
        builder.Entity<LeadSearchProgress>(progress =>
        {
            progress.ToTable("LeadSearchProgress", t => t.HasCheckConstraint("CK_LeadSearchProgress_Single", "\"Id\" = 1"));
            progress.Property(p => p.Id).ValueGeneratedNever();
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite keeps no kind, so give it back on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}

/// <summary>A lead found by the free-text index.</summary>
public sealed class LeadSearchHit
{
    public long LeadId { get; set; }
}

/// <summary>How far the free-text index has got: leads with a higher id are searched without it.</summary>
public sealed class LeadSearchProgress
{
    public int Id { get; set; }
    public long IndexedUpTo { get; set; }
}
