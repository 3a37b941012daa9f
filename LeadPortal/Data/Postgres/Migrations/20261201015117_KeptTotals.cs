using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadPortal.Data.Postgres.Migrations
{
    /// <summary>
    /// Inbox totals kept in the lead's own commit, as on SQLite, but without hot rows: a plain COUNT over a million leads
    /// took 80–120 ms (bench), over the 50 ms the inbox allows. Each combination of the small filters (test flag, action,
    /// country, source, status) has up to 16 slot rows, and a writing transaction adds to the slot of its backend, so two
    /// instances writing at once rarely wait on the same row. Statement-level triggers (transition tables) add one row per
    /// combination per statement, however many leads it inserts, updates or deletes. Missing values are stored as ''.
    /// </summary>
    public partial class KeptTotals : Migration
    {
        // Frozen text: what this migration runs (it must never follow later code).
        private static readonly string[] CreateLeadCounts =
            [
                """
                CREATE TABLE "LeadCounts" (
                    "IsTest" boolean NOT NULL, "ActionCode" text NOT NULL, "Country" text NOT NULL, "Source" text NOT NULL,
                    "Status" integer NOT NULL, "Slot" smallint NOT NULL, "Count" bigint NOT NULL,
                    PRIMARY KEY ("IsTest", "ActionCode", "Country", "Source", "Status", "Slot"));
                """,
                """
                INSERT INTO "LeadCounts"
                SELECT "IsTest", coalesce("ActionCode", ''), coalesce("Country", ''), coalesce("Source", ''), "Status", 0, count(*)
                FROM "Leads" GROUP BY 1, 2, 3, 4, 5;
                """,
                """
                CREATE FUNCTION "LeadCounts_Add"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "LeadCounts" AS c
                    SELECT "IsTest", coalesce("ActionCode", ''), coalesce("Country", ''), coalesce("Source", ''), "Status", pg_backend_pid() % 16, count(*)
                    FROM new_rows GROUP BY 1, 2, 3, 4, 5
                    ON CONFLICT ("IsTest", "ActionCode", "Country", "Source", "Status", "Slot") DO UPDATE SET "Count" = c."Count" + excluded."Count";
                    RETURN NULL;
                END $$;
                """,
                """
                CREATE FUNCTION "LeadCounts_Remove"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "LeadCounts" AS c
                    SELECT "IsTest", coalesce("ActionCode", ''), coalesce("Country", ''), coalesce("Source", ''), "Status", pg_backend_pid() % 16, -count(*)
                    FROM old_rows GROUP BY 1, 2, 3, 4, 5
                    ON CONFLICT ("IsTest", "ActionCode", "Country", "Source", "Status", "Slot") DO UPDATE SET "Count" = c."Count" + excluded."Count";
                    RETURN NULL;
                END $$;
                """,
                """
                CREATE FUNCTION "LeadCounts_Change"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "LeadCounts" AS c
                    SELECT k."IsTest", k."ActionCode", k."Country", k."Source", k."Status", pg_backend_pid() % 16, sum(k.d)
                    FROM (
                        SELECT o."IsTest", coalesce(o."ActionCode", '') AS "ActionCode", coalesce(o."Country", '') AS "Country",
                               coalesce(o."Source", '') AS "Source", o."Status", -1 AS d
                        FROM old_rows o JOIN new_rows n ON n."Id" = o."Id"
                        WHERE (o."IsTest", o."ActionCode", o."Country", o."Source", o."Status") IS DISTINCT FROM (n."IsTest", n."ActionCode", n."Country", n."Source", n."Status")
                        UNION ALL
                        SELECT n."IsTest", coalesce(n."ActionCode", ''), coalesce(n."Country", ''), coalesce(n."Source", ''), n."Status", 1
                        FROM old_rows o JOIN new_rows n ON n."Id" = o."Id"
                        WHERE (o."IsTest", o."ActionCode", o."Country", o."Source", o."Status") IS DISTINCT FROM (n."IsTest", n."ActionCode", n."Country", n."Source", n."Status")
                    ) AS k
                    GROUP BY 1, 2, 3, 4, 5
                    ON CONFLICT ("IsTest", "ActionCode", "Country", "Source", "Status", "Slot") DO UPDATE SET "Count" = c."Count" + excluded."Count";
                    RETURN NULL;
                END $$;
                """,
                """
                CREATE TRIGGER "Leads_Counts_Insert" AFTER INSERT ON "Leads" REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION "LeadCounts_Add"();
                """,
                """
                CREATE TRIGGER "Leads_Counts_Delete" AFTER DELETE ON "Leads" REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION "LeadCounts_Remove"();
                """,
                """
                CREATE TRIGGER "Leads_Counts_Update" AFTER UPDATE ON "Leads" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION "LeadCounts_Change"();
                """,
            ];

        private static readonly string[] DropLeadCounts =
            [
                """DROP TRIGGER IF EXISTS "Leads_Counts_Insert" ON "Leads";""",
                """DROP TRIGGER IF EXISTS "Leads_Counts_Delete" ON "Leads";""",
                """DROP TRIGGER IF EXISTS "Leads_Counts_Update" ON "Leads";""",
                """DROP FUNCTION IF EXISTS "LeadCounts_Add"();""",
                """DROP FUNCTION IF EXISTS "LeadCounts_Remove"();""",
                """DROP FUNCTION IF EXISTS "LeadCounts_Change"();""",
                """DROP TABLE IF EXISTS "LeadCounts";""",
            ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in CreateLeadCounts)
            {
                migrationBuilder.Sql(statement);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in DropLeadCounts)
            {
                migrationBuilder.Sql(statement);
            }
        }
    }
}
