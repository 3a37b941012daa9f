using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadPortal.Data.Configurations;

internal sealed class OutboxEventConfiguration : IEntityTypeConfiguration<OutboxEvent>
{
    public void Configure(EntityTypeBuilder<OutboxEvent> outboxEvent)
    {
        outboxEvent.ToTable("OutboxEvents");
        outboxEvent.Property(e => e.Kind).HasConversion<int>();
        // No foreign key to the lead: the intake writer inserts events beside leads with plain SQL, and a lead deleted
        // before its event is dispatched simply has nothing left to announce.
    }
}

internal sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> lease)
    {
        lease.ToTable("JobLeases");
        lease.HasKey(l => l.Name);
        lease.Property(l => l.Name).HasMaxLength(100);
        lease.Property(l => l.Holder).HasMaxLength(200);
    }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> run)
    {
        run.ToTable("JobRuns");
        run.HasKey(r => r.Name);
        run.Property(r => r.Name).HasMaxLength(100);
        run.Property(r => r.Holder).HasMaxLength(200);
        run.Property(r => r.StartedById).HasMaxLength(450);
        run.Property(r => r.StartedBy).HasMaxLength(256);
        run.Property(r => r.Error).HasMaxLength(2000);
    }
}

internal sealed class StoreSettingConfiguration : IEntityTypeConfiguration<StoreSetting>
{
    public void Configure(EntityTypeBuilder<StoreSetting> setting)
    {
        setting.ToTable("StoreSettings");
        setting.HasKey(s => s.Key);
        setting.Property(s => s.Key).HasMaxLength(100);
        setting.Property(s => s.Value).HasMaxLength(4000);
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> preference)
    {
        preference.ToTable("NotificationPreferences");
        preference.HasKey(p => p.UserId);
        preference.Property(p => p.NewLeads).HasConversion<int>();
        preference.Property(p => p.TimeZone).HasMaxLength(100);
        preference.HasOne(p => p.User).WithOne().HasForeignKey<NotificationPreference>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutgoingMailConfiguration : IEntityTypeConfiguration<OutgoingMail>
{
    public void Configure(EntityTypeBuilder<OutgoingMail> mail)
    {
        mail.ToTable("MailOutbox");
        mail.Property(m => m.Kind).HasConversion<int>();
        mail.Property(m => m.Status).HasConversion<int>();
        mail.Property(m => m.DedupKey).HasMaxLength(200);
        mail.HasIndex(m => m.DedupKey).IsUnique();
        // The sender's look for due mail, and the send log newest first.
        mail.HasIndex(m => new { m.Status, m.NextAttemptAt });
        mail.HasIndex(m => m.CreatedAt);
        mail.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ForwardingDestinationConfiguration : IEntityTypeConfiguration<ForwardingDestination>
{
    public void Configure(EntityTypeBuilder<ForwardingDestination> destination)
    {
        destination.ToTable("ForwardingDestinations");
        destination.Property(d => d.Name).HasMaxLength(100);
        destination.Property(d => d.Url).HasMaxLength(2000);
        destination.Property(d => d.DisabledReason).HasMaxLength(500);
        destination.Property(d => d.Body).HasConversion<int>();
        destination.HasIndex(d => d.Name).IsUnique();
        destination.HasOne<MappingProfile>().WithMany().HasForeignKey(d => d.MappingProfileId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ForwardDeliveryConfiguration : IEntityTypeConfiguration<ForwardDelivery>
{
    public void Configure(EntityTypeBuilder<ForwardDelivery> delivery)
    {
        delivery.ToTable("ForwardDeliveries");
        delivery.Property(d => d.Status).HasConversion<int>();
        delivery.Property(d => d.MessageId).HasMaxLength(64);
        delivery.HasIndex(d => d.MessageId).IsUnique();
        // A lead goes to a destination once (test deliveries have no lead).
        delivery.HasIndex(d => new { d.DestinationId, d.LeadId }).IsUnique();
        delivery.HasIndex(d => new { d.Status, d.NextAttemptAt });
        delivery.HasOne<ForwardingDestination>().WithMany().HasForeignKey(d => d.DestinationId).OnDelete(DeleteBehavior.Cascade);
        delivery.HasOne<Lead>().WithMany().HasForeignKey(d => d.LeadId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ForwardAttemptConfiguration : IEntityTypeConfiguration<ForwardAttempt>
{
    public void Configure(EntityTypeBuilder<ForwardAttempt> attempt)
    {
        attempt.ToTable("ForwardAttempts");
        attempt.Property(a => a.ResponseStart).HasMaxLength(1000);
        attempt.HasIndex(a => new { a.DeliveryId, a.At });
        attempt.HasOne<ForwardDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
