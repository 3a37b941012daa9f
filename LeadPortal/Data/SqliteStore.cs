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
    /// <summary>
    /// Run on every connection: a commit is on disk before it returns, so a 2xx survives a crash; and a connection that
    /// finds the database locked waits inside SQLite, in steps of a few milliseconds, instead of in Microsoft.Data.Sqlite's
    /// retry loop, which sleeps 150 ms between tries (a lead waiting on a purge batch would wait that long).
    /// </summary>
    public static string ConnectionPragmas(TimeSpan lockWait) =>
        $"PRAGMA synchronous=FULL; PRAGMA busy_timeout={(int)lockWait.TotalMilliseconds};";

    /// <summary>How long an ordinary connection waits for a lock before the command fails.</summary>
    public static readonly TimeSpan DefaultLockWait = TimeSpan.FromSeconds(30);

    /// <summary>How long the intake writer waits for a lock: past this a lead is answered 503 rather than left hanging.</summary>
    public static readonly TimeSpan WriterLockWait = TimeSpan.FromSeconds(3);

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
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(folder);
                }
                else
                {
                    Directory.CreateDirectory(folder, OwnerOnly | UnixFileMode.UserExecute);
                }
            }

            KeepPrivate(source);
        }

        return builder.ToString();
    }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// The database holds personal data: it is created readable by its owner only, and a file another version left
    /// readable by others is closed to them. SQLite gives its -wal and -shm files the database file's permissions.
    /// </summary>
    private static void KeepPrivate(string database)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!File.Exists(database))
        {
            // An empty file is an empty SQLite database; created here, it gets the permissions SQLite would not choose.
            using var _ = new FileStream(database, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly,
            });
            return;
        }

        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            try
            {
                if (File.Exists(file) && (File.GetUnixFileMode(file) & ~(OwnerOnly | UnixFileMode.UserExecute)) != 0)
                {
                    File.SetUnixFileMode(file, File.GetUnixFileMode(file) & (OwnerOnly | UnixFileMode.UserExecute));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not ours to change (another owner): the operator decides.
            }
        }
    }

    public static DbContextOptionsBuilder UseLeadPortalStore(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString).AddInterceptors(PragmaInterceptor.Instance);

    /// <summary>An open, configured connection whose commands give up after <paramref name="lockWait"/> when the database stays locked.</summary>
    public static async Task<DbConnection> OpenConnectionAsync(string connectionString, TimeSpan lockWait, CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = Math.Max(1, (int)lockWait.TotalSeconds) }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ConfigureConnectionAsync(connection, lockWait, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public static Task ConfigureConnectionAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        ConfigureConnectionAsync(connection, DefaultLockWait, cancellationToken);

    public static async Task ConfigureConnectionAsync(DbConnection connection, TimeSpan lockWait, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = ConnectionPragmas(lockWait);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>WAL lets the inbox read while the endpoint writes; it is a property of the file, set once.</summary>
    public static async Task PrepareDatabaseAsync(LeadPortalDbContext db, CancellationToken cancellationToken = default)
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    /// <summary>Free bytes on the disk that holds the database file (null for an in-memory database).</summary>
    public static long? FreeDiskBytes(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:" || Path.GetDirectoryName(Path.GetFullPath(source)) is not { } folder)
        {
            return null;
        }

        return new DriveInfo(folder).AvailableFreeSpace;
    }

    /// <summary>
    /// Why the database cannot take the write lock within <paramref name="wait"/> (held by another process or
    /// connection, read-only file), or null when it can: takes it and lets go at once, writing nothing.
    /// </summary>
    public static async Task<string?> WriteLockFailureAsync(string connectionString, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(connectionString, wait, cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return null;
        }
        catch (Exception ex) when (IsStoreUnavailable(ex))
        {
            return DescribeFailure(ex);
        }
    }

    /// <summary>
    /// True when the store as a whole refuses writes (locked, full, read-only, I/O error, unopenable or damaged file),
    /// as opposed to one statement failing: every write would fail the same way until the cause is fixed.
    /// </summary>
    public static bool IsStoreUnavailable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 or 8 or 10 or 11 or 13 or 14 or 26 };

    /// <summary>What went wrong with a write, in words for a delivery log, a problem answer or a health report.</summary>
    public static string DescribeFailure(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 5 or 6 } => "the database is locked by another process or connection",
        SqliteException { SqliteErrorCode: 13 } => "the disk is full",
        SqliteException { SqliteErrorCode: 8 } => "the database is read-only",
        SqliteException { SqliteErrorCode: 10 } => "a disk I/O error",
        SqliteException { SqliteErrorCode: 14 } => "the database file cannot be opened",
        SqliteException { SqliteErrorCode: 11 or 26 } => "the database file is damaged",
        _ => "an unexpected error (see the server log)",
    };

    /// <summary>
    /// Non-test leads per quarter-hour in [from, to): every time zone's offset is a whole number of quarter-hours
    /// (+05:45, +12:45 included), so the buckets fold into the viewer's local days exactly.
    /// </summary>
    public static async Task<List<TimeBucket>> CountLeadsPerQuarterHourAsync(
        LeadPortalDbContext db, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default)
    {
        var rows = await db.Database.SqlQuery<TimeBucketRow>($"""
            SELECT substr("ReceivedAt", 1, 13) AS "Bucket", CAST(substr("ReceivedAt", 15, 2) AS INTEGER) / 15 AS "Quarter", COUNT(*) AS "Count"
            FROM "Leads"
            WHERE "IsTest" = 0 AND "ReceivedAt" >= {fromUtc} AND "ReceivedAt" < {toUtc}
            GROUP BY 1, 2
            """).ToListAsync(cancellationToken);
        return rows.Select(r => new TimeBucket(
            DateTime.SpecifyKind(DateTime.ParseExact(r.Bucket, "yyyy-MM-dd HH", CultureInfo.InvariantCulture), DateTimeKind.Utc).AddMinutes(15 * r.Quarter),
            r.Count)).ToList();
    }

    public readonly record struct TimeBucket(DateTime StartUtc, int Count);

    /// <summary>
    /// Free-text search over name, email and company: an FTS5 trigram index, so substring search ("wind 42",
    /// part of an email) is an index lookup instead of a scan of every lead. Trigrams need three characters.
    /// </summary>
    public const int MinSearchLength = 3;

    /// <summary>How many new leads one indexing step takes: ~10 ms of work, so a commit waiting behind it waits little.</summary>
    public const int SearchIndexBlock = 500;

    /// <summary>
    /// Adds up to <paramref name="limit"/> leads not yet in the free-text index, in one transaction on the caller's
    /// connection. Returns how many were indexed (fewer than the limit: the index has caught up).
    /// </summary>
    public static async Task<int> IndexNewLeadsAsync(DbConnection connection, int limit = SearchIndexBlock, CancellationToken cancellationToken = default)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT IndexedUpTo FROM LeadSearchProgress";
        var from = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken) ?? 0L, CultureInfo.InvariantCulture);
        command.CommandText = "SELECT count(*), max(Id) FROM (SELECT Id FROM Leads WHERE Id > $from ORDER BY Id LIMIT $limit)";
        command.Parameters.Add(new SqliteParameter("$from", from));
        command.Parameters.Add(new SqliteParameter("$limit", limit));
        long count, to;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            count = reader.GetInt64(0);
            to = count == 0 ? from : reader.GetInt64(1);
        }

        if (count > 0)
        {
            command.Parameters.Add(new SqliteParameter("$to", to));
            command.CommandText = $"""
                INSERT INTO LeadSearch (rowid, Name, Email, Company) SELECT Id, {SearchValues("")} FROM Leads WHERE Id > $from AND Id <= $to;
                UPDATE LeadSearchProgress SET IndexedUpTo = $to;
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (int)count;
    }

    private static string SearchValues(string row) =>
        $"trim(coalesce({row}FirstName, '') || ' ' || coalesce({row}LastName, '')), coalesce({row}Email, ''), coalesce({row}Company, '')";

    /// <summary>The ids of leads whose name, email or company contains <paramref name="text"/> (at least three characters).</summary>
    /// <remarks>The text must hold no NUL (<see cref="Leads.LeadQuery.SearchText"/> removes it): FTS5 reads a query only up to one.</remarks>
    public static IQueryable<LeadSearchHit> SearchLeads(LeadPortalDbContext db, string text)
    {
        // A quoted FTS5 string is a phrase; with the trigram tokenizer a phrase matches as a substring.
        var phrase = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return db.Set<LeadSearchHit>().FromSqlInterpolated($"SELECT rowid AS LeadId FROM LeadSearch WHERE LeadSearch MATCH {phrase}");
    }

    /// <summary>
    /// Lead counts per combination of the inbox's small filters (test flag, action, country, source, status), kept
    /// by triggers in the same transaction as the lead. The inbox's total for those filters is a sum over a few
    /// hundred rows instead of a walk over every lead (COUNT over 1M index entries costs ~45 ms).
    /// Missing values are stored as '' so that the key is unique (the table and its triggers: migration InboxIndexes).
    /// How many leads match these small filters (null: any value).
    /// </summary>
    public static async Task<int> CountLeadsAsync(
        LeadPortalDbContext db, bool? isTest, string? action, string? country, string? source, int? status, CancellationToken cancellationToken = default)
    {
        var total = await db.Database.SqlQuery<long>($"""
            SELECT coalesce(sum("Count"), 0) AS "Value" FROM "LeadCounts"
            WHERE ({isTest} IS NULL OR "IsTest" = {isTest}) AND ({action} IS NULL OR "ActionCode" = {action})
              AND ({country} IS NULL OR "Country" = {country}) AND ({source} IS NULL OR "Source" = {source})
              AND ({status} IS NULL OR "Status" = {status})
            """).SingleAsync(cancellationToken);
        return (int)total;
    }

    /// <summary>
    /// Just the leads with these ids, as a source other filters are applied to without index lookups
    /// (a materialized CTE: SQLite cannot merge the outer WHERE into it and pick another index).
    /// </summary>
    public static IQueryable<Lead> LeadsWithIds(LeadPortalDbContext db, IReadOnlyCollection<long> ids)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(ids);
        return db.Leads.FromSqlInterpolated($"""
            WITH "Candidates" AS MATERIALIZED (SELECT * FROM "Leads" WHERE "Id" IN (SELECT "value" FROM json_each({json})))
            SELECT * FROM "Candidates"
            """);
    }

    /// <summary>
    /// Every offer with its newest title, for the inbox's offer filter. A DISTINCT over a million leads reads them all
    /// (1.4 s); this hops from one offer to the next along the offer index instead (a seek per offer, ~3 ms).
    /// </summary>
    public static Task<List<OfferOption>> GetOffersAsync(LeadPortalDbContext db, CancellationToken cancellationToken = default) =>
        db.Database.SqlQueryRaw<OfferOption>("""
            WITH RECURSIVE "Offer"("Id") AS (
                SELECT (SELECT min("OfferId") FROM "Leads")
                UNION ALL
                SELECT (SELECT min("OfferId") FROM "Leads" WHERE "OfferId" > "Offer"."Id") FROM "Offer" WHERE "Offer"."Id" IS NOT NULL)
            SELECT "Id", (SELECT "OfferTitle" FROM "Leads" WHERE "OfferId" = "Offer"."Id" AND "OfferTitle" IS NOT NULL
                          ORDER BY "ReceivedAt" DESC LIMIT 1) AS "Title"
            FROM "Offer" WHERE "Id" IS NOT NULL
            """).ToListAsync(cancellationToken);

    /// <summary>The distinct sources and countries leads have, from <c>LeadCounts</c> (a few hundred rows).</summary>
    public static async Task<(List<string> Sources, List<string> Countries)> GetSourcesAndCountriesAsync(
        LeadPortalDbContext db, CancellationToken cancellationToken = default)
    {
        var sources = await db.Database.SqlQueryRaw<string>(
            """SELECT DISTINCT "Source" AS "Value" FROM "LeadCounts" WHERE "Source" <> '' AND "Count" > 0""").ToListAsync(cancellationToken);
        var countries = await db.Database.SqlQueryRaw<string>(
            """SELECT DISTINCT "Country" AS "Value" FROM "LeadCounts" WHERE "Country" <> '' AND "Count" > 0""").ToListAsync(cancellationToken);
        return (sources, countries);
    }

    public sealed class OfferOption
    {
        public string Id { get; set; } = "";
        public string? Title { get; set; }
    }

    public sealed class TimeBucketRow
    {
        public string Bucket { get; set; } = "";
        public int Quarter { get; set; }
        public int Count { get; set; }
    }

    private sealed class PragmaInterceptor : DbConnectionInterceptor
    {
        public static readonly PragmaInterceptor Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas(DefaultLockWait);
            command.ExecuteNonQuery();
        }

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
            ConfigureConnectionAsync(connection, cancellationToken);
    }
}
