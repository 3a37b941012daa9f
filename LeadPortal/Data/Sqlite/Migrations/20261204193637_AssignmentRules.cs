using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AssignmentRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AwayUntil",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AssignmentRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Actions = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Offers = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Countries = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Sources = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Mode = table.Column<int>(type: "INTEGER", nullable: false),
                    LastPosition = table.Column<int>(type: "INTEGER", nullable: false),
                    FromConfiguration = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AssignmentRuleUsers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RuleId = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentRuleUsers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssignmentRuleUsers_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_AssignmentRuleUsers_AssignmentRules_RuleId",
                        column: x => x.RuleId,
                        principalTable: "AssignmentRules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRules_Name",
                table: "AssignmentRules",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRuleUsers_RuleId_Position",
                table: "AssignmentRuleUsers",
                columns: new[] { "RuleId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRuleUsers_UserId",
                table: "AssignmentRuleUsers",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AssignmentRuleUsers");

            migrationBuilder.DropTable(
                name: "AssignmentRules");

            migrationBuilder.DropColumn(
                name: "AwayUntil",
                table: "AspNetUsers");
        }
    }
}
