using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FollowUps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "FollowUpOn",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Leads_FollowUpOn_OwnerId",
                table: "Leads",
                columns: new[] { "FollowUpOn", "OwnerId" },
                filter: "\"FollowUpOn\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_FollowUpOn_OwnerId",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "FollowUpOn",
                table: "Leads");
        }
    }
}
