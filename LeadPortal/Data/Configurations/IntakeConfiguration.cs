using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadPortal.Data.Configurations;

internal sealed class IntakeKeyConfiguration : IEntityTypeConfiguration<IntakeKey>
{
    public void Configure(EntityTypeBuilder<IntakeKey> key)
    {
        key.ToTable("IntakeKeys");
        key.Property(k => k.Name).HasMaxLength(100);
        key.Property(k => k.Prefix).HasMaxLength(16);
        key.HasIndex(k => k.Hash).IsUnique();
        key.Ignore(k => k.IsActive);
    }
}

internal sealed class DeliveryLogEntryConfiguration : IEntityTypeConfiguration<DeliveryLogEntry>
{
    public void Configure(EntityTypeBuilder<DeliveryLogEntry> entry)
    {
        entry.ToTable("DeliveryLog");
        entry.Property(e => e.Outcome).HasConversion<int>();
        entry.HasIndex(e => e.ReceivedAt);
        entry.HasIndex(e => new { e.Outcome, e.ReceivedAt });
    }
}

internal sealed class TableSourceConfiguration : IEntityTypeConfiguration<TableSource>
{
    public void Configure(EntityTypeBuilder<TableSource> source)
    {
        source.ToTable("TableSources");
        source.Property(s => s.Name).HasMaxLength(100);
        source.Property(s => s.Table).HasMaxLength(63);
        source.Property(s => s.Endpoint).HasMaxLength(300);
        source.Property(s => s.CredentialKind).HasConversion<int>();
        source.HasIndex(s => s.Name).IsUnique();
    }
}
