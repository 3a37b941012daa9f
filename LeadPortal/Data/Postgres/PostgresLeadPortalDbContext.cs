using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LeadPortal.Data.Postgres;

/// <summary>The store on PostgreSQL; its migrations are in <c>Data/Postgres/Migrations</c>.</summary>
public sealed class PostgresLeadPortalDbContext(DbContextOptions<PostgresLeadPortalDbContext> options) : LeadPortalDbContext(options)
{
    public override StoreDialect Dialect => PostgresDialect.Instance;
}

/// <summary>
/// For <c>dotnet ef migrations add … --context PostgresLeadPortalDbContext</c>: the app registers only the configured
/// provider's context, and adding a migration needs no server.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresLeadPortalDbContext>
{
    public PostgresLeadPortalDbContext CreateDbContext(string[] args) =>
        PostgresStore.CreateContext("Host=localhost;Database=leadportal_design");
}
