using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LeadPortal.Data;

/// <summary>
/// Everything that is SQLite-specific lives here, so that another provider (PostgreSQL for deployments
/// with several instances) replaces this class and leaves the rest of the app alone.
/// </summary>
public static class SqliteStore
{
    /// <summary>Run on every connection: a commit is on disk before it returns, so a 2xx survives a crash.</summary>
    public const string ConnectionPragmas = "PRAGMA synchronous=FULL;";

    public const string DefaultConnectionString = "Data Source=App_Data/leadportal.db";

    /// <summary>Makes a relative database path relative to the content root and creates its folder.</summary>
    public static string ResolveConnectionString(string? configured, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? DefaultConnectionString : configured);
        var source = builder.DataSource;
        var inMemory = source == ":memory:" || builder.Mode == SqliteOpenMode.Memory;
        if (!inMemory && !string.IsNullOrEmpty(source))
        {
            if (!Path.IsPathRooted(source))
            {
                source = Path.GetFullPath(Path.Combine(contentRoot, source));
                builder.DataSource = source;
            }

            var folder = Path.GetDirectoryName(source);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        return builder.ToString();
    }

    public static DbContextOptionsBuilder UseLeadPortalStore(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString).AddInterceptors(PragmaInterceptor.Instance);

    public static DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    public static async Task ConfigureConnectionAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = ConnectionPragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>WAL lets the inbox read while the endpoint writes; it is a property of the file, set once.</summary>
    public static async Task PrepareDatabaseAsync(LeadPortalDbContext db, CancellationToken cancellationToken = default)
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    /// <summary>True when the error is SQLite's "database is locked/busy", worth retrying.</summary>
    public static bool IsBusy(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 };

    /// <summary>Non-test leads per ten-minute bucket (fine enough for half-hour time zones) in [from, to).</summary>
    public static async Task<List<TimeBucket>> CountLeadsPerTenMinutesAsync(
        LeadPortalDbContext db, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default)
    {
        var rows = await db.Database.SqlQuery<TimeBucketRow>($"""
            SELECT substr("ReceivedAt", 1, 15) AS "Bucket", COUNT(*) AS "Count"
            FROM "Leads"
            WHERE "IsTest" = 0 AND "ReceivedAt" >= {fromUtc} AND "ReceivedAt" < {toUtc}
            GROUP BY substr("ReceivedAt", 1, 15)
            """).ToListAsync(cancellationToken);
        return rows.Select(r => new TimeBucket(
            DateTime.SpecifyKind(DateTime.ParseExact(r.Bucket + "0", "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), DateTimeKind.Utc),
            r.Count)).ToList();
    }

    public readonly record struct TimeBucket(DateTime StartUtc, int Count);

    /// <summary>
    /// Free-text search over name, email and company: an FTS5 trigram index, so substring search ("wind 42",
    /// part of an email) is an index lookup instead of a scan of every lead. Trigrams need three characters.
    /// </summary>
    public const int MinSearchLength = 3;

    public static readonly string[] CreateLeadSearch =
    [
        "CREATE VIRTUAL TABLE LeadSearch USING fts5(Name, Email, Company, tokenize = 'trigram')",
        $"INSERT INTO LeadSearch (rowid, Name, Email, Company) SELECT Id, {SearchValues("")} FROM Leads",
        $"CREATE TRIGGER Leads_Search_Insert AFTER INSERT ON Leads BEGIN INSERT INTO LeadSearch (rowid, Name, Email, Company) VALUES (new.Id, {SearchValues("new.")}); END",
        $"CREATE TRIGGER Leads_Search_Update AFTER UPDATE OF FirstName, LastName, Email, Company ON Leads BEGIN DELETE FROM LeadSearch WHERE rowid = old.Id; INSERT INTO LeadSearch (rowid, Name, Email, Company) VALUES (new.Id, {SearchValues("new.")}); END",
        "CREATE TRIGGER Leads_Search_Delete AFTER DELETE ON Leads BEGIN DELETE FROM LeadSearch WHERE rowid = old.Id; END",
    ];

    public static readonly string[] DropLeadSearch =
    [
        "DROP TRIGGER IF EXISTS Leads_Search_Insert",
        "DROP TRIGGER IF EXISTS Leads_Search_Update",
        "DROP TRIGGER IF EXISTS Leads_Search_Delete",
        "DROP TABLE IF EXISTS LeadSearch",
    ];

    private static string SearchValues(string row) =>
        $"trim(coalesce({row}FirstName, '') || ' ' || coalesce({row}LastName, '')), coalesce({row}Email, ''), coalesce({row}Company, '')";

    /// <summary>The ids of leads whose name, email or company contains <paramref name="text"/> (at least three characters).</summary>
    public static IQueryable<LeadSearchHit> SearchLeads(LeadPortalDbContext db, string text)
    {
        // A quoted FTS5 string is a phrase; with the trigram tokenizer a phrase matches as a substring.
        var phrase = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return db.Set<LeadSearchHit>().FromSqlInterpolated($"SELECT rowid AS LeadId FROM LeadSearch WHERE LeadSearch MATCH {phrase}");
    }

    public sealed class TimeBucketRow
    {
        public string Bucket { get; set; } = "";
        public int Count { get; set; }
    }

    private sealed class PragmaInterceptor : DbConnectionInterceptor
    {
        public static readonly PragmaInterceptor Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas;
            command.ExecuteNonQuery();
        }

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
            ConfigureConnectionAsync(connection, cancellationToken);
    }
}
