using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ResponseClocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "PartnerCenterAcceptedAt",
                table: "Leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PartnerCenterAcceptedBy",
                table: "Leads",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResponseDueAt",
                table: "Leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Leads_RunningClocks",
                table: "Leads",
                columns: new[] { "ResponseDueAt", "OwnerId" },
                filter: "\"FirstResponseAt\" IS NULL AND \"ResponseDueAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_RunningClocks",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "PartnerCenterAcceptedAt",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "PartnerCenterAcceptedBy",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "ResponseDueAt",
                table: "Leads");
        }
    }
}
