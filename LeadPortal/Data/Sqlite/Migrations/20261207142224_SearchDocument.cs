using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SearchDocument : Migration
    {
        // Frozen text: what this migration ran when it was written (it must never follow later code).
        // One search document per lead in six columns, folded by the tokenizer (case, diacritics: SQLite 3.45+). Every
        // lead is indexed here, so the intake writer goes on from the newest one.
        private static readonly string[] CreateSearchDocument =
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
                """
                CREATE VIRTUAL TABLE LeadSearch USING fts5(Name, Email, Company, Offer, Phone, Message, tokenize = 'trigram remove_diacritics 1')
                """,
                """
                INSERT INTO LeadSearch (rowid, Name, Email, Company, Offer, Phone, Message) SELECT Id, trim(coalesce(FirstName, '') || ' ' || coalesce(LastName, '')) || CASE WHEN coalesce(FirstName, '') <> '' AND coalesce(LastName, '') <> '' THEN char(10) || LastName || ', ' || FirstName ELSE '' END, coalesce(Email, ''), coalesce(Company, ''), coalesce(OfferTitle, '') || char(10) || coalesce(OfferId, ''), replace(replace(replace(replace(replace(replace(replace(coalesce(PhoneE164, ''), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '') || ' ' || replace(replace(replace(replace(replace(replace(replace(coalesce(PhoneNational, ''), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '') || ' ' || replace(replace(replace(replace(replace(replace(replace(coalesce(Phone, ''), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), substr(coalesce(Description, ''), 1, 2000) FROM Leads
                """,
                """
                UPDATE LeadSearchProgress SET IndexedUpTo = coalesce((SELECT max(Id) FROM Leads), 0)
                """,
                """
                INSERT INTO LeadSearch(LeadSearch, rank) VALUES('secure-delete', 1)
                """,
                """
                CREATE TRIGGER Leads_Search_Insert AFTER INSERT ON Leads WHEN new.Id <= (SELECT IndexedUpTo FROM LeadSearchProgress) BEGIN INSERT INTO LeadSearch (rowid, Name, Email, Company, Offer, Phone, Message) VALUES (new.Id, trim(coalesce(new.FirstName, '') || ' ' || coalesce(new.LastName, '')) || CASE WHEN coalesce(new.FirstName, '') <> '' AND coalesce(new.LastName, '') <> '' THEN char(10) || new.LastName || ', ' || new.FirstName ELSE '' END, coalesce(new.Email, ''), coalesce(new.Company, ''), coalesce(new.OfferTitle, '') || char(10) || coalesce(new.OfferId, ''), replace(replace(replace(replace(replace(replace(replace(coalesce(new.PhoneE164, ''), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '') || ' ' || replace(replace(replace(replace(replace(replace(replace(coalesce(new.PhoneNational, ''), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '') || ' ' || replace(replace(replace(replace(replace(replace(replace(coalesce(new.Phone, ''), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), substr(coalesce(new.Description, ''), 1, 2000)); END
                """,
                """
                CREATE TRIGGER Leads_Search_Update AFTER UPDATE OF FirstName, LastName, Email, Company, OfferTitle, OfferId, Phone, PhoneE164, PhoneNational, Description ON Leads WHEN old.Id <= (SELECT IndexedUpTo FROM LeadSearchProgress) BEGIN DELETE FROM LeadSearch WHERE rowid = old.Id; INSERT INTO LeadSearch (rowid, Name, Email, Company, Offer, Phone, Message) VALUES (new.Id, trim(coalesce(new.FirstName, '') || ' ' || coalesce(new.LastName, '')) || CASE WHEN coalesce(new.FirstName, '') <> '' AND coalesce(new.LastName, '') <> '' THEN char(10) || new.LastName || ', ' || new.FirstName ELSE '' END, coalesce(new.Email, ''), coalesce(new.Company, ''), coalesce(new.OfferTitle, '') || char(10) || coalesce(new.OfferId, ''), replace(replace(replace(replace(replace(replace(replace(coalesce(new.PhoneE164, ''), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '') || ' ' || replace(replace(replace(replace(replace(replace(replace(coalesce(new.PhoneNational, ''), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '') || ' ' || replace(replace(replace(replace(replace(replace(replace(coalesce(new.Phone, ''), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), substr(coalesce(new.Description, ''), 1, 2000)); END
                """,
                """
                CREATE TRIGGER Leads_Search_Delete AFTER DELETE ON Leads BEGIN DELETE FROM LeadSearch WHERE rowid = old.Id; END
                """,
            ];

        // Frozen text: the index as migration DeferredSearch left it (name, e-mail and company), rebuilt.
        private static readonly string[] DropSearchDocument =
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
                """
                CREATE VIRTUAL TABLE LeadSearch USING fts5(Name, Email, Company, tokenize = 'trigram')
                """,
                """
                INSERT INTO LeadSearch (rowid, Name, Email, Company) SELECT Id, trim(coalesce(FirstName, '') || ' ' || coalesce(LastName, '')), coalesce(Email, ''), coalesce(Company, '') FROM Leads
                """,
                """
                UPDATE LeadSearchProgress SET IndexedUpTo = coalesce((SELECT max(Id) FROM Leads), 0)
                """,
                """
                CREATE TRIGGER Leads_Search_Insert AFTER INSERT ON Leads WHEN new.Id <= (SELECT IndexedUpTo FROM LeadSearchProgress) BEGIN INSERT INTO LeadSearch (rowid, Name, Email, Company) VALUES (new.Id, trim(coalesce(new.FirstName, '') || ' ' || coalesce(new.LastName, '')), coalesce(new.Email, ''), coalesce(new.Company, '')); END
                """,
                """
                CREATE TRIGGER Leads_Search_Update AFTER UPDATE OF FirstName, LastName, Email, Company ON Leads WHEN old.Id <= (SELECT IndexedUpTo FROM LeadSearchProgress) BEGIN DELETE FROM LeadSearch WHERE rowid = old.Id; INSERT INTO LeadSearch (rowid, Name, Email, Company) VALUES (new.Id, trim(coalesce(new.FirstName, '') || ' ' || coalesce(new.LastName, '')), coalesce(new.Email, ''), coalesce(new.Company, '')); END
                """,
                """
                CREATE TRIGGER Leads_Search_Delete AFTER DELETE ON Leads BEGIN DELETE FROM LeadSearch WHERE rowid = old.Id; END
                """,
            ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in CreateSearchDocument)
            {
                migrationBuilder.Sql(statement);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in DropSearchDocument)
            {
                migrationBuilder.Sql(statement);
            }
        }
    }
}
