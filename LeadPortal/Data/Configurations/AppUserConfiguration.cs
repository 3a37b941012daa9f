using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadPortal.Data.Configurations;

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    // The longest IANA name is 32 characters (America/Argentina/ComodRivadavia); room for longer aliases.
    public const int TimeZoneMaxLength = 64;

    public void Configure(EntityTypeBuilder<AppUser> user) => user.Property(u => u.TimeZone).HasMaxLength(TimeZoneMaxLength);
}
