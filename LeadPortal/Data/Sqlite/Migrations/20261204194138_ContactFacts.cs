using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ContactFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "EmailIsRole",
                table: "Leads",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "EmailValidity",
                table: "Leads",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "PhoneE164",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PhoneExtension",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PhoneNational",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PhoneType",
                table: "Leads",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PhoneValidity",
                table: "Leads",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_Leads_PhoneE164",
                table: "Leads",
                column: "PhoneE164");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_PhoneE164",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "EmailIsRole",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "EmailValidity",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "PhoneE164",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "PhoneExtension",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "PhoneNational",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "PhoneType",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "PhoneValidity",
                table: "Leads");
        }
    }
}
