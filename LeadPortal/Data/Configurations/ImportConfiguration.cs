using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadPortal.Data.Configurations;

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> run)
    {
        run.ToTable("ImportRuns");
        run.Property(r => r.FileName).HasMaxLength(260);
        run.Property(r => r.FileSha256).HasMaxLength(64);
        run.Property(r => r.Encoding).HasMaxLength(20);
        run.Property(r => r.Delimiter).HasMaxLength(4);
        run.Property(r => r.CreatedById).HasMaxLength(450);
        run.Property(r => r.CreatedBy).HasMaxLength(256);
        run.Property(r => r.UndoneBy).HasMaxLength(256);
        run.Property(r => r.Error).HasMaxLength(2000);
        run.Property(r => r.State).HasConversion<int>();
        run.Property(r => r.DuplicateMode).HasConversion<int>();
        run.HasIndex(r => r.CreatedAt);
        run.HasIndex(r => r.State);
        run.HasMany(r => r.Refusals).WithOne().HasForeignKey(f => f.ImportRunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ImportRefusalConfiguration : IEntityTypeConfiguration<ImportRefusal>
{
    public void Configure(EntityTypeBuilder<ImportRefusal> refusal)
    {
        refusal.ToTable("ImportRefusals");
        refusal.Property(r => r.Column).HasMaxLength(300);
        refusal.Property(r => r.Reason).HasMaxLength(1000);
        refusal.HasIndex(r => new { r.ImportRunId, r.Row });
    }
}

internal sealed class SavedImportMappingConfiguration : IEntityTypeConfiguration<SavedImportMapping>
{
    public void Configure(EntityTypeBuilder<SavedImportMapping> mapping)
    {
        mapping.ToTable("SavedImportMappings");
        mapping.Property(m => m.Name).HasMaxLength(100);
        mapping.Property(m => m.UpdatedBy).HasMaxLength(256);
        mapping.HasIndex(m => m.Name).IsUnique();
    }
}
