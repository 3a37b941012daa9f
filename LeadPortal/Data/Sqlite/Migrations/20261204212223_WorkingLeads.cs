using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WorkingLeads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "TaskReminders",
                table: "NotificationPreferences",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "CrmId",
                table: "Leads",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "DealValue",
                table: "Leads",
                type: "TEXT",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisqualifyNote",
                table: "Leads",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DisqualifyReasonId",
                table: "Leads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Leads",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "DisqualifyReasons",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    NeedsText = table.Column<bool>(type: "INTEGER", nullable: false),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisqualifyReasons", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LeadTasks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LeadId = table.Column<long>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedById = table.Column<string>(type: "TEXT", nullable: true),
                    DoneAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RemindedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LeadTasks_AspNetUsers_CreatedById",
                        column: x => x.CreatedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_LeadTasks_AspNetUsers_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_LeadTasks_Leads_LeadId",
                        column: x => x.LeadId,
                        principalTable: "Leads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_DisqualifyReasonId_ReceivedAt",
                table: "Leads",
                columns: new[] { "DisqualifyReasonId", "ReceivedAt" },
                filter: "\"DisqualifyReasonId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_DisqualifyReasons_Name",
                table: "DisqualifyReasons",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LeadTasks_CreatedById",
                table: "LeadTasks",
                column: "CreatedById");

            migrationBuilder.CreateIndex(
                name: "IX_LeadTasks_LeadId_DueAt",
                table: "LeadTasks",
                columns: new[] { "LeadId", "DueAt" },
                filter: "\"DoneAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_LeadTasks_OwnerId_DueAt",
                table: "LeadTasks",
                columns: new[] { "OwnerId", "DueAt" },
                filter: "\"DoneAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_LeadTasks_Unreminded",
                table: "LeadTasks",
                column: "DueAt",
                filter: "\"DoneAt\" IS NULL AND \"RemindedAt\" IS NULL");

            // Partner Center's decline reasons, so that disqualifying works on an upgraded store as on a new one; admins
            // edit the list afterwards (Admin, Disqualify reasons).
            migrationBuilder.InsertData(
                table: "DisqualifyReasons",
                columns: new[] { "Name", "NeedsText", "SortOrder" },
                values: new object[,]
                {
                    { "Not interested", false, 1 },
                    { "No budget", false, 2 },
                    { "No authority", false, 3 },
                    { "No need", false, 4 },
                    { "Competitor", false, 5 },
                    { "Unreachable", false, 6 },
                    { "Spam, abuse or phishing", false, 7 },
                    { "Test", false, 8 },
                    { "Duplicate", false, 9 },
                    { "Other", true, 10 },
                });

            // Each follow-up day becomes an open task "Follow up", due at noon UTC that day (noon is the same calendar day
            // in every zone from UTC-11 to UTC+11), owned by the lead's owner or else by whoever last set the follow-up.
            // One already due counts as reminded: an upgrade does not mail every old follow-up at once.
            migrationBuilder.Sql("""
                INSERT INTO "LeadTasks" ("LeadId", "Text", "DueAt", "OwnerId", "CreatedAt", "CreatedById", "DoneAt", "RemindedAt")
                SELECT l."Id", 'Follow up', l."FollowUpOn" || ' 12:00:00',
                    COALESCE(l."OwnerId", (SELECT a."UserId" FROM "LeadActivities" a WHERE a."LeadId" = l."Id" AND a."Kind" = 3 ORDER BY a."Id" DESC LIMIT 1)),
                    strftime('%Y-%m-%d %H:%M:%S', 'now'), NULL, NULL,
                    CASE WHEN l."FollowUpOn" || ' 12:00:00' <= strftime('%Y-%m-%d %H:%M:%S', 'now') THEN strftime('%Y-%m-%d %H:%M:%S', 'now') END
                FROM "Leads" l WHERE l."FollowUpOn" IS NOT NULL
                """);

            migrationBuilder.DropIndex(
                name: "IX_Leads_FollowUpOn_OwnerId",
                table: "Leads");

            // SQLite drops a column in place (3.35+); EF's DropColumn would rebuild the whole leads table and its triggers.
            migrationBuilder.Sql("""ALTER TABLE "Leads" DROP COLUMN "FollowUpOn";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DisqualifyReasons");

            migrationBuilder.DropTable(
                name: "LeadTasks");

            migrationBuilder.DropIndex(
                name: "IX_Leads_DisqualifyReasonId_ReceivedAt",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "TaskReminders",
                table: "NotificationPreferences");

            migrationBuilder.DropColumn(
                name: "CrmId",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "DealValue",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "DisqualifyNote",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "DisqualifyReasonId",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Leads");

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
    }
}
