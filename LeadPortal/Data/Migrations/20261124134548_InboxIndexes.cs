using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class InboxIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Totals for the inbox's small filters, kept by triggers (see SqliteStore.CreateLeadCounts).
            foreach (var statement in SqliteStore.CreateLeadCounts)
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
            foreach (var statement in SqliteStore.DropLeadCounts)
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
