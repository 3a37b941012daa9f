using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeferredSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LeadSearchProgress",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    IndexedUpTo = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadSearchProgress", x => x.Id);
                    table.CheckConstraint("CK_LeadSearchProgress_Single", "\"Id\" = 1");
                });

            // Every existing lead is indexed already; from here on the intake writer indexes in blocks.
            foreach (var statement in SqliteStore.DeferLeadSearch)
            {
                migrationBuilder.Sql(statement);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in SqliteStore.UndeferLeadSearch)
            {
                migrationBuilder.Sql(statement);
            }

            migrationBuilder.DropTable(
                name: "LeadSearchProgress");
        }
    }
}
