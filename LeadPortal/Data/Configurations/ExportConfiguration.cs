using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadPortal.Data.Configurations;

internal sealed class MappingProfileConfiguration : IEntityTypeConfiguration<MappingProfile>
{
    public void Configure(EntityTypeBuilder<MappingProfile> profile)
    {
        profile.ToTable("MappingProfiles");
        profile.Property(p => p.Name).HasMaxLength(100);
        profile.HasIndex(p => p.Name).IsUnique();
    }
}

internal sealed class ExportRunConfiguration : IEntityTypeConfiguration<ExportRun>
{
    public void Configure(EntityTypeBuilder<ExportRun> run)
    {
        run.ToTable("ExportRuns");
        run.HasIndex(r => r.At);
        run.Ignore(r => r.SkippedIds);
        run.HasOne<MappingProfile>().WithMany().HasForeignKey(r => r.ProfileId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ExportRunLeadConfiguration : IEntityTypeConfiguration<ExportRunLead>
{
    public void Configure(EntityTypeBuilder<ExportRunLead> row)
    {
        row.ToTable("ExportRunLeads");
        row.HasKey(r => new { r.ExportRunId, r.LeadId });
        row.HasOne<ExportRun>().WithMany().HasForeignKey(r => r.ExportRunId).OnDelete(DeleteBehavior.Cascade);
        row.HasOne<Lead>().WithMany().HasForeignKey(r => r.LeadId).OnDelete(DeleteBehavior.Cascade);
        // "Not yet exported with this profile" looks leads up by profile.
        row.HasIndex(r => new { r.ProfileId, r.LeadId });
    }
}
