using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadPortal.Data.Configurations;

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> lead)
    {
        lead.ToTable("Leads");
        lead.Property(l => l.Status).HasConversion<int>();
        lead.Property(l => l.PhoneType).HasConversion<int>();
        lead.Property(l => l.PhoneValidity).HasConversion<int>();
        lead.Property(l => l.EmailValidity).HasConversion<int>();
        lead.Property(l => l.Origin).HasConversion<int>();
        lead.Property(l => l.OriginName).HasMaxLength(260);
        lead.Property(l => l.OriginKey).HasMaxLength(64);
        lead.Property(l => l.PartnerCenterAcceptedBy).HasMaxLength(256);
        lead.Property(l => l.EmailDomainKind).HasConversion<int>();
        lead.Property(l => l.Quality).HasConversion<int>();
        lead.Property(l => l.QualityReasons).HasConversion<int>();
        lead.HasOne(l => l.Owner).WithMany().HasForeignKey(l => l.OwnerId).OnDelete(DeleteBehavior.SetNull);
        lead.HasOne(l => l.Payload).WithOne().HasForeignKey<LeadPayload>(p => p.LeadId).OnDelete(DeleteBehavior.Cascade);

        // The inbox lists newest first and hides test leads by default: the feed index serves that page, its
        // deep offsets and the dashboard's aggregates without reading a row (Id after ReceivedAt keeps the order).
        lead.HasIndex(l => new { l.IsTest, l.ReceivedAt, l.Id, l.ActionCode, l.Country, l.OfferId }).HasDatabaseName("IX_Leads_Feed");
        lead.HasIndex(l => l.ReceivedAt);

        lead.Property(l => l.DisqualifyNote).HasMaxLength(500);
        lead.Property(l => l.CrmId).HasMaxLength(100);
        lead.Property(l => l.DealValue).HasPrecision(18, 2);
        // "Why we drop leads": only disqualified leads carry a reason, so the index holds those alone.
        lead.HasIndex(l => new { l.DisqualifyReasonId, l.ReceivedAt }).HasFilter("\"DisqualifyReasonId\" IS NOT NULL");

        // Running response clocks only (unanswered leads with a due time): the Due soon and Overdue filters, the Due
        // sort within them and the reminder timer read it. A new lead has no due time yet, so intake pays nothing for it.
        lead.HasIndex(l => new { l.ResponseDueAt, l.OwnerId }).HasFilter("\"FirstResponseAt\" IS NULL AND \"ResponseDueAt\" IS NOT NULL")
            .HasDatabaseName("IX_Leads_RunningClocks");

        // One index per inbox filter, newest first within it, carrying the test flag (and for action and country
        // each other's column) so that counting a filter never reads rows.
        lead.HasIndex(l => new { l.OfferId, l.ReceivedAt, l.IsTest });
        lead.HasIndex(l => new { l.ActionCode, l.ReceivedAt, l.IsTest, l.Country, l.Source, l.Status });
        lead.HasIndex(l => new { l.Country, l.ReceivedAt, l.IsTest, l.ActionCode, l.Source, l.Status });
        lead.HasIndex(l => new { l.Source, l.ReceivedAt, l.IsTest });
        lead.HasIndex(l => new { l.Status, l.ReceivedAt, l.IsTest });
        lead.HasIndex(l => new { l.OwnerId, l.ReceivedAt, l.IsTest });
        // The campaign filter and the dashboard's leads by campaign; most leads carry none.
        lead.Property(l => l.CampaignId).HasMaxLength(256);
        lead.Property(l => l.CampaignSource).HasMaxLength(256);
        lead.HasIndex(l => new { l.CampaignId, l.ReceivedAt, l.IsTest }).HasFilter("\"CampaignId\" IS NOT NULL");

        // The Quality, Email validity and Phone validity filters, as the others.
        lead.HasIndex(l => new { l.Quality, l.ReceivedAt, l.IsTest });
        lead.HasIndex(l => new { l.EmailValidity, l.ReceivedAt, l.IsTest });
        lead.HasIndex(l => new { l.PhoneValidity, l.ReceivedAt, l.IsTest });
        // The same person's other leads, and the quality rule's count of an address's leads in the hour before one.
        lead.HasIndex(l => new { l.EmailNormalized, l.ReceivedAt });
        // The same person's other leads are found by address or by number; most leads have a number, so no filter.
        // With the arrival time, the inbox's repeat-person marks (RepeatPeople) read the index alone, as for addresses.
        lead.HasIndex(l => new { l.PhoneE164, l.ReceivedAt });
        // The domain filter (newest first within it) and "4 people from contoso.com" (the address, so counting the
        // people reads no row); a freemail or invalid address has no company domain.
        lead.HasIndex(l => new { l.CompanyDomain, l.ReceivedAt, l.IsTest, l.EmailNormalized }).HasFilter("\"CompanyDomain\" IS NOT NULL");
        lead.HasIndex(l => l.BodyHash);
        // A table entity is stored once however often it is read, on any instance: the store refuses a second copy.
        lead.HasIndex(l => l.OriginKey).IsUnique().HasFilter("\"OriginKey\" IS NOT NULL");
        lead.HasIndex(l => new { l.Origin, l.ReceivedAt, l.IsTest });
    }
}

internal sealed class LeadPayloadConfiguration : IEntityTypeConfiguration<LeadPayload>
{
    public void Configure(EntityTypeBuilder<LeadPayload> payload)
    {
        payload.ToTable("LeadPayloads");
        payload.HasKey(p => p.LeadId);
        payload.Property(p => p.LeadId).ValueGeneratedNever();
    }
}

internal sealed class LeadActivityConfiguration : IEntityTypeConfiguration<LeadActivity>
{
    public void Configure(EntityTypeBuilder<LeadActivity> activity)
    {
        activity.ToTable("LeadActivities");
        activity.Property(a => a.Kind).HasConversion<int>();
        activity.HasOne(a => a.Lead).WithMany().HasForeignKey(a => a.LeadId).OnDelete(DeleteBehavior.Cascade);
        activity.HasOne(a => a.User).WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.SetNull);
        activity.HasIndex(a => new { a.LeadId, a.At });
    }
}

internal sealed class LeadTaskConfiguration : IEntityTypeConfiguration<LeadTask>
{
    public void Configure(EntityTypeBuilder<LeadTask> task)
    {
        task.ToTable("LeadTasks");
        task.Property(t => t.Text).HasMaxLength(500);
        task.HasOne(t => t.Lead).WithMany(l => l.Tasks).HasForeignKey(t => t.LeadId).OnDelete(DeleteBehavior.Cascade);
        task.HasOne(t => t.Owner).WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.SetNull);
        task.HasOne<AppUser>().WithMany().HasForeignKey(t => t.CreatedById).OnDelete(DeleteBehavior.SetNull);

        // Open tasks only: "My tasks" and the reminders read by owner and due time, the inbox a lead's next one and "Due today".
        task.HasIndex(t => new { t.OwnerId, t.DueAt }).HasFilter("\"DoneAt\" IS NULL");
        task.HasIndex(t => new { t.LeadId, t.DueAt }).HasFilter("\"DoneAt\" IS NULL");
        task.HasIndex(t => t.DueAt).HasFilter("\"DoneAt\" IS NULL AND \"RemindedAt\" IS NULL").HasDatabaseName("IX_LeadTasks_Unreminded");
    }
}

internal sealed class DisqualifyReasonConfiguration : IEntityTypeConfiguration<DisqualifyReason>
{
    public void Configure(EntityTypeBuilder<DisqualifyReason> reason)
    {
        reason.ToTable("DisqualifyReasons");
        reason.Property(r => r.Name).HasMaxLength(DisqualifyReason.MaxNameLength);
        reason.HasIndex(r => r.Name).IsUnique();
    }
}

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> view)
    {
        view.ToTable("SavedViews");
        view.Property(v => v.Name).HasMaxLength(60);
        view.Property(v => v.Query).HasMaxLength(4000);
        view.HasIndex(v => new { v.UserId, v.Name }).IsUnique();
        view.HasOne<AppUser>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InboxSettingsConfiguration : IEntityTypeConfiguration<InboxSettings>
{
    public void Configure(EntityTypeBuilder<InboxSettings> settings)
    {
        settings.ToTable("InboxSettings");
        settings.HasKey(s => s.UserId);
        settings.Property(s => s.LastQuery).HasMaxLength(4000);
        settings.HasOne<AppUser>().WithOne().HasForeignKey<InboxSettings>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        settings.HasOne<SavedView>().WithMany().HasForeignKey(s => s.DefaultViewId).OnDelete(DeleteBehavior.SetNull);
    }
}
