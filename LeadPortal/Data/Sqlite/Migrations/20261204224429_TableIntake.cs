using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Sqlite.Migrations
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "OriginKey",
                table: "Leads",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OriginName",
                table: "Leads",
                type: "TEXT",
                maxLength: 260,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TableSources",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Table = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    CredentialKind = table.Column<int>(type: "INTEGER", nullable: false),
                    CredentialProtected = table.Column<string>(type: "TEXT", nullable: true),
                    Endpoint = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    PollInterval = table.Column<TimeSpan>(type: "TEXT", nullable: false),
                    Since = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FromConfiguration = table.Column<bool>(type: "INTEGER", nullable: false),
                    Paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Checkpoint = table.Column<DateTime>(type: "TEXT", nullable: true),
                    HistoryDone = table.Column<bool>(type: "INTEGER", nullable: false),
                    RunStartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RunFrom = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RunContinuation = table.Column<string>(type: "TEXT", nullable: true),
                    RunNewest = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RunRead = table.Column<long>(type: "INTEGER", nullable: false),
                    RunImported = table.Column<long>(type: "INTEGER", nullable: false),
                    ImportedTotal = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSuccessAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FailingSince = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", nullable: true),
                    Failures = table.Column<int>(type: "INTEGER", nullable: false),
                    NextPollAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
