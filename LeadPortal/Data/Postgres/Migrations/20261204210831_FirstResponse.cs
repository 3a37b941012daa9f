using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class FirstResponse : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "FirstResponseAt",
                table: "Leads",
                type: "timestamp with time zone",
                nullable: true);

            // Leads worked before this column existed were answered when their status first left New (or, with no
            // timeline entry for that, at the latest when they arrived): they must not show as waiting for an answer.
            migrationBuilder.Sql("""
                UPDATE "Leads" SET "FirstResponseAt" = COALESCE(
                    (SELECT MIN(a."At") FROM "LeadActivities" a WHERE a."LeadId" = "Leads"."Id" AND a."Kind" = 0 AND a."FromValue" = 'New'),
                    "ReceivedAt")
                WHERE "Status" <> 0
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FirstResponseAt",
                table: "Leads");
        }
    }
}
