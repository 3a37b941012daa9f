using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RepeatPeople : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_PhoneE164",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_PhoneE164_ReceivedAt",
                table: "Leads",
                columns: new[] { "PhoneE164", "ReceivedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_PhoneE164_ReceivedAt",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_PhoneE164",
                table: "Leads",
                column: "PhoneE164");
        }
    }
}
