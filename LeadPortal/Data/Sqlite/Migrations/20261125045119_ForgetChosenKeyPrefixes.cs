using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ForgetChosenKeyPrefixes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A chosen key's start may be most of its secret: keep the shown start only of generated keys
            // ("lpk_" + 43 random characters), which are the only keys whose start was taken as 8 characters of 47.
            migrationBuilder.Sql("""
                UPDATE "IntakeKeys" SET "Prefix" = ''
                WHERE "Name" = 'Bootstrap key (Intake:BootstrapKey)' OR "Prefix" NOT LIKE 'lpk\_%' ESCAPE '\' OR length("Prefix") <> 8
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // What was forgotten cannot be restored.
        }
    }
}
