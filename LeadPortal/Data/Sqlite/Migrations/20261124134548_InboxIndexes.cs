using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class InboxIndexes : Migration
    {
        // Frozen text: what this migration ran when it was written (it must never follow later code).
        private static readonly string[] CreateLeadCounts =
            [
                """
                CREATE TABLE LeadCounts (
                    IsTest INTEGER NOT NULL, ActionCode TEXT NOT NULL, Country TEXT NOT NULL, Source TEXT NOT NULL, Status INTEGER NOT NULL,
                    Count INTEGER NOT NULL,
                    PRIMARY KEY (IsTest, ActionCode, Country, Source, Status)) WITHOUT ROWID
                """,
                """
                INSERT INTO LeadCounts (IsTest, ActionCode, Country, Source, Status, Count) SELECT IsTest, coalesce(ActionCode, ''), coalesce(Country, ''), coalesce(Source, ''), Status, COUNT(*) FROM Leads GROUP BY IsTest, coalesce(ActionCode, ''), coalesce(Country, ''), coalesce(Source, ''), Status
                """,
                """
                CREATE TRIGGER Leads_Counts_Insert AFTER INSERT ON Leads BEGIN INSERT INTO LeadCounts (IsTest, ActionCode, Country, Source, Status, Count) VALUES (new.IsTest, coalesce(new.ActionCode, ''), coalesce(new.Country, ''), coalesce(new.Source, ''), new.Status, 1) ON CONFLICT (IsTest, ActionCode, Country, Source, Status) DO UPDATE SET Count = Count + 1; END
                """,
                """
                CREATE TRIGGER Leads_Counts_Delete AFTER DELETE ON Leads BEGIN UPDATE LeadCounts SET Count = Count - 1 WHERE (IsTest, ActionCode, Country, Source, Status) = (old.IsTest, coalesce(old.ActionCode, ''), coalesce(old.Country, ''), coalesce(old.Source, ''), old.Status); END
                """,
                """
                CREATE TRIGGER Leads_Counts_Update AFTER UPDATE OF IsTest, ActionCode, Country, Source, Status ON Leads BEGIN UPDATE LeadCounts SET Count = Count - 1 WHERE (IsTest, ActionCode, Country, Source, Status) = (old.IsTest, coalesce(old.ActionCode, ''), coalesce(old.Country, ''), coalesce(old.Source, ''), old.Status); INSERT INTO LeadCounts (IsTest, ActionCode, Country, Source, Status, Count) VALUES (new.IsTest, coalesce(new.ActionCode, ''), coalesce(new.Country, ''), coalesce(new.Source, ''), new.Status, 1) ON CONFLICT (IsTest, ActionCode, Country, Source, Status) DO UPDATE SET Count = Count + 1; END
                """,
            ];

        // Frozen text: what this migration ran when it was written (it must never follow later code).
        private static readonly string[] DropLeadCounts =
            [
                """
                DROP TRIGGER IF EXISTS Leads_Counts_Insert
                """,
                """
                DROP TRIGGER IF EXISTS Leads_Counts_Delete
                """,
                """
                DROP TRIGGER IF EXISTS Leads_Counts_Update
                """,
                """
                DROP TABLE IF EXISTS LeadCounts
                """,
            ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Totals for the inbox's small filters, kept by triggers (see CreateLeadCounts).
            foreach (var statement in CreateLeadCounts)
            {
                migrationBuilder.Sql(statement);
            }

            migrationBuilder.DropIndex(
                name: "IX_Leads_ActionCode_ReceivedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Country_ReceivedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_IsTest_ReceivedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_OfferId_ReceivedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_OwnerId_ReceivedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Source_ReceivedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Status_ReceivedAt",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ActionCode_ReceivedAt_IsTest_Country_Source_Status",
                table: "Leads",
                columns: new[] { "ActionCode", "ReceivedAt", "IsTest", "Country", "Source", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Country_ReceivedAt_IsTest_ActionCode_Source_Status",
                table: "Leads",
                columns: new[] { "Country", "ReceivedAt", "IsTest", "ActionCode", "Source", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Feed",
                table: "Leads",
                columns: new[] { "IsTest", "ReceivedAt", "Id", "ActionCode", "Country", "OfferId" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_OfferId_ReceivedAt_IsTest",
                table: "Leads",
                columns: new[] { "OfferId", "ReceivedAt", "IsTest" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_OwnerId_ReceivedAt_IsTest",
                table: "Leads",
                columns: new[] { "OwnerId", "ReceivedAt", "IsTest" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Source_ReceivedAt_IsTest",
                table: "Leads",
                columns: new[] { "Source", "ReceivedAt", "IsTest" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Status_ReceivedAt_IsTest",
                table: "Leads",
                columns: new[] { "Status", "ReceivedAt", "IsTest" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in DropLeadCounts)
            {
                migrationBuilder.Sql(statement);
            }

            migrationBuilder.DropIndex(
                name: "IX_Leads_ActionCode_ReceivedAt_IsTest_Country_Source_Status",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Country_ReceivedAt_IsTest_ActionCode_Source_Status",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Feed",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_OfferId_ReceivedAt_IsTest",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_OwnerId_ReceivedAt_IsTest",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Source_ReceivedAt_IsTest",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Status_ReceivedAt_IsTest",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ActionCode_ReceivedAt",
                table: "Leads",
                columns: new[] { "ActionCode", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Country_ReceivedAt",
                table: "Leads",
                columns: new[] { "Country", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_IsTest_ReceivedAt",
                table: "Leads",
                columns: new[] { "IsTest", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_OfferId_ReceivedAt",
                table: "Leads",
                columns: new[] { "OfferId", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_OwnerId_ReceivedAt",
                table: "Leads",
                columns: new[] { "OwnerId", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Source_ReceivedAt",
                table: "Leads",
                columns: new[] { "Source", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Status_ReceivedAt",
                table: "Leads",
                columns: new[] { "Status", "ReceivedAt" });
        }
    }
}
