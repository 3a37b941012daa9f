using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LeadQuality : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_EmailNormalized",
                table: "Leads");

            migrationBuilder.AddColumn<string>(
                name: "CampaignFields",
                table: "Leads",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CampaignId",
                table: "Leads",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CampaignSource",
                table: "Leads",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CompanyDomain",
                table: "Leads",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EmailDomainKind",
                table: "Leads",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Quality",
                table: "Leads",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "QualityReasons",
                table: "Leads",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_Leads_CampaignId_ReceivedAt_IsTest",
                table: "Leads",
                columns: new[] { "CampaignId", "ReceivedAt", "IsTest" },
                filter: "\"CampaignId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_CompanyDomain_ReceivedAt_IsTest_EmailNormalized",
                table: "Leads",
                columns: new[] { "CompanyDomain", "ReceivedAt", "IsTest", "EmailNormalized" },
                filter: "\"CompanyDomain\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_EmailNormalized_ReceivedAt",
                table: "Leads",
                columns: new[] { "EmailNormalized", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_EmailValidity_ReceivedAt_IsTest",
                table: "Leads",
                columns: new[] { "EmailValidity", "ReceivedAt", "IsTest" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_PhoneValidity_ReceivedAt_IsTest",
                table: "Leads",
                columns: new[] { "PhoneValidity", "ReceivedAt", "IsTest" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Quality_ReceivedAt_IsTest",
                table: "Leads",
                columns: new[] { "Quality", "ReceivedAt", "IsTest" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_CampaignId_ReceivedAt_IsTest",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_CompanyDomain_ReceivedAt_IsTest_EmailNormalized",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_EmailNormalized_ReceivedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_EmailValidity_ReceivedAt_IsTest",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_PhoneValidity_ReceivedAt_IsTest",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Quality_ReceivedAt_IsTest",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "CampaignFields",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "CampaignId",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "CampaignSource",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "CompanyDomain",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "EmailDomainKind",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "Quality",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "QualityReasons",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_EmailNormalized",
                table: "Leads",
                column: "EmailNormalized");
        }
    }
}
