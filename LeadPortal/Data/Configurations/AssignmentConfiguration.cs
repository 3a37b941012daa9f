using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadPortal.Data.Configurations;

internal sealed class AssignmentRuleConfiguration : IEntityTypeConfiguration<AssignmentRule>
{
    public void Configure(EntityTypeBuilder<AssignmentRule> rule)
    {
        rule.ToTable("AssignmentRules");
        rule.Property(r => r.Name).HasMaxLength(100);
        rule.HasIndex(r => r.Name).IsUnique();
        rule.Property(r => r.Actions).HasMaxLength(200);
        rule.Property(r => r.Offers).HasMaxLength(4000);
        rule.Property(r => r.Countries).HasMaxLength(2000);
        rule.Property(r => r.Sources).HasMaxLength(200);
        rule.Property(r => r.Mode).HasConversion<int>();
        rule.HasMany(r => r.Users).WithOne().HasForeignKey(u => u.RuleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AssignmentRuleUserConfiguration : IEntityTypeConfiguration<AssignmentRuleUser>
{
    public void Configure(EntityTypeBuilder<AssignmentRuleUser> user)
    {
        user.ToTable("AssignmentRuleUsers");
        user.Property(u => u.Email).HasMaxLength(256);
        user.HasIndex(u => new { u.RuleId, u.Position });
        // A deleted user stays in the rule by address, so the page can say who is gone (and round robin skips them).
        user.HasOne<AppUser>().WithMany().HasForeignKey(u => u.UserId).OnDelete(DeleteBehavior.SetNull);
    }
}
