using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LeadSearch : Migration
    {
        // Frozen text: what this migration ran when it was written (it must never follow later code).
        private static readonly string[] CreateLeadSearch =
            [
                """
                CREATE VIRTUAL TABLE LeadSearch USING fts5(Name, Email, Company, tokenize = 'trigram')
                """,
                """
                INSERT INTO LeadSearch (rowid, Name, Email, Company) SELECT Id, trim(coalesce(FirstName, '') || ' ' || coalesce(LastName, '')), coalesce(Email, ''), coalesce(Company, '') FROM Leads
                """,
                """
                CREATE TRIGGER Leads_Search_Insert AFTER INSERT ON Leads BEGIN INSERT INTO LeadSearch (rowid, Name, Email, Company) VALUES (new.Id, trim(coalesce(new.FirstName, '') || ' ' || coalesce(new.LastName, '')), coalesce(new.Email, ''), coalesce(new.Company, '')); END
                """,
                """
                CREATE TRIGGER Leads_Search_Update AFTER UPDATE OF FirstName, LastName, Email, Company ON Leads BEGIN DELETE FROM LeadSearch WHERE rowid = old.Id; INSERT INTO LeadSearch (rowid, Name, Email, Company) VALUES (new.Id, trim(coalesce(new.FirstName, '') || ' ' || coalesce(new.LastName, '')), coalesce(new.Email, ''), coalesce(new.Company, '')); END
                """,
                """
                CREATE TRIGGER Leads_Search_Delete AFTER DELETE ON Leads BEGIN DELETE FROM LeadSearch WHERE rowid = old.Id; END
                """,
            ];

        // Frozen text: what this migration ran when it was written (it must never follow later code).
        private static readonly string[] DropLeadSearch =
            [
                """
                DROP TRIGGER IF EXISTS Leads_Search_Insert
                """,
                """
                DROP TRIGGER IF EXISTS Leads_Search_Update
                """,
                """
                DROP TRIGGER IF EXISTS Leads_Search_Delete
                """,
                """
                DROP TABLE IF EXISTS LeadSearch
                """,
            ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The free-text index and the triggers that keep it in step with Leads (SQLite FTS5).
            foreach (var statement in CreateLeadSearch)
            {
                migrationBuilder.Sql(statement);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in DropLeadSearch)
            {
                migrationBuilder.Sql(statement);
            }
        }
    }
}
