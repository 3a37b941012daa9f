using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Data.Sqlite;

/// <summary>The store on SQLite; its migrations are in <c>Data/Sqlite/Migrations</c>.</summary>
public sealed class SqliteLeadPortalDbContext(DbContextOptions<SqliteLeadPortalDbContext> options) : LeadPortalDbContext(options)
{
    public override StoreDialect Dialect => SqliteDialect.Instance;
}
