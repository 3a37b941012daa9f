using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LeadPortal.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TableIntake : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Origin",
                table: "Leads",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "OriginKey",
                table: "Leads",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OriginName",
                table: "Leads",
                type: "character varying(260)",
                maxLength: 260,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TableSources",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Table = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    CredentialKind = table.Column<int>(type: "integer", nullable: false),
                    CredentialProtected = table.Column<string>(type: "text", nullable: true),
                    Endpoint = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    PollInterval = table.Column<TimeSpan>(type: "interval", nullable: false),
                    Since = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FromConfiguration = table.Column<bool>(type: "boolean", nullable: false),
                    Paused = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Checkpoint = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    HistoryDone = table.Column<bool>(type: "boolean", nullable: false),
                    RunStartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RunFrom = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RunContinuation = table.Column<string>(type: "text", nullable: true),
                    RunNewest = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RunRead = table.Column<long>(type: "bigint", nullable: false),
                    RunImported = table.Column<long>(type: "bigint", nullable: false),
                    ImportedTotal = table.Column<long>(type: "bigint", nullable: false),
                    LastSuccessAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FailingSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    Failures = table.Column<int>(type: "integer", nullable: false),
                    NextPollAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TableSources", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Origin_ReceivedAt_IsTest",
                table: "Leads",
                columns: new[] { "Origin", "ReceivedAt", "IsTest" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_OriginKey",
                table: "Leads",
                column: "OriginKey",
                unique: true,
                filter: "\"OriginKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_TableSources_Name",
                table: "TableSources",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TableSources");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Origin_ReceivedAt_IsTest",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_OriginKey",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "Origin",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "OriginKey",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "OriginName",
                table: "Leads");
        }
    }
}
