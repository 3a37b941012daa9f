using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class LeadSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The free-text index and the triggers that keep it in step with Leads (SQLite FTS5, see SqliteStore).
            foreach (var statement in SqliteStore.CreateLeadSearch)
            {
                migrationBuilder.Sql(statement);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in SqliteStore.DropLeadSearch)
            {
                migrationBuilder.Sql(statement);
            }
        }
    }
}
