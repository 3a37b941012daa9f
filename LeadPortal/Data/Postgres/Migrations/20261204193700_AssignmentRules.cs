using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LeadPortal.Data.Postgres.Migrations
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
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AssignmentRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Actions = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Offers = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Countries = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Sources = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Mode = table.Column<int>(type: "integer", nullable: false),
                    LastPosition = table.Column<int>(type: "integer", nullable: false),
                    FromConfiguration = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AssignmentRuleUsers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RuleId = table.Column<int>(type: "integer", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: true),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
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
