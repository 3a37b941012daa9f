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

            migrationBuilder.CreateIndex(
                name: "IX_Leads_CompanyDomain_ReceivedAt_IsTest_EmailNormalized",
                table: "Leads",
                columns: new[] { "CompanyDomain", "ReceivedAt", "IsTest", "EmailNormalized" },
                filter: "\"CompanyDomain\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_CompanyDomain_ReceivedAt_IsTest_EmailNormalized",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "CompanyDomain",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "EmailDomainKind",
                table: "Leads");
        }
    }
}
