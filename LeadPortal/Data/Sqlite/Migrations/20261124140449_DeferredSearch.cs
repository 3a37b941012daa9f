using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DeferredSearch : Migration
    {
        // Frozen text: what this migration ran when it was written (it must never follow later code).
        private static readonly string[] DeferLeadSearch =
            [
                """
                INSERT INTO LeadSearchProgress (Id, IndexedUpTo) SELECT 1, coalesce(max(Id), 0) FROM Leads
                """,
                """
                DROP TRIGGER IF EXISTS Leads_Search_Insert
                """,
                """
                DROP TRIGGER IF EXISTS Leads_Search_Update
                """,
                """
                CREATE TRIGGER Leads_Search_Insert AFTER INSERT ON Leads WHEN new.Id <= (SELECT IndexedUpTo FROM LeadSearchProgress) BEGIN INSERT INTO LeadSearch (rowid, Name, Email, Company) VALUES (new.Id, trim(coalesce(new.FirstName, '') || ' ' || coalesce(new.LastName, '')), coalesce(new.Email, ''), coalesce(new.Company, '')); END
                """,
                """
                CREATE TRIGGER Leads_Search_Update AFTER UPDATE OF FirstName, LastName, Email, Company ON Leads WHEN old.Id <= (SELECT IndexedUpTo FROM LeadSearchProgress) BEGIN DELETE FROM LeadSearch WHERE rowid = old.Id; INSERT INTO LeadSearch (rowid, Name, Email, Company) VALUES (new.Id, trim(coalesce(new.FirstName, '') || ' ' || coalesce(new.LastName, '')), coalesce(new.Email, ''), coalesce(new.Company, '')); END
                """,
            ];

        // Frozen text: what this migration ran when it was written (it must never follow later code).
        private static readonly string[] UndeferLeadSearch =
            [
                """
                INSERT INTO LeadSearch (rowid, Name, Email, Company) SELECT Id, trim(coalesce(FirstName, '') || ' ' || coalesce(LastName, '')), coalesce(Email, ''), coalesce(Company, '') FROM Leads WHERE Id > (SELECT IndexedUpTo FROM LeadSearchProgress)
                """,
                """
                DROP TRIGGER IF EXISTS Leads_Search_Insert
                """,
                """
                DROP TRIGGER IF EXISTS Leads_Search_Update
                """,
                """
                CREATE TRIGGER Leads_Search_Insert AFTER INSERT ON Leads BEGIN INSERT INTO LeadSearch (rowid, Name, Email, Company) VALUES (new.Id, trim(coalesce(new.FirstName, '') || ' ' || coalesce(new.LastName, '')), coalesce(new.Email, ''), coalesce(new.Company, '')); END
                """,
                """
                CREATE TRIGGER Leads_Search_Update AFTER UPDATE OF FirstName, LastName, Email, Company ON Leads BEGIN DELETE FROM LeadSearch WHERE rowid = old.Id; INSERT INTO LeadSearch (rowid, Name, Email, Company) VALUES (new.Id, trim(coalesce(new.FirstName, '') || ' ' || coalesce(new.LastName, '')), coalesce(new.Email, ''), coalesce(new.Company, '')); END
                """,
            ];

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
            foreach (var statement in DeferLeadSearch)
            {
                migrationBuilder.Sql(statement);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in UndeferLeadSearch)
            {
                migrationBuilder.Sql(statement);
            }

            migrationBuilder.DropTable(
                name: "LeadSearchProgress");
        }
    }
}
