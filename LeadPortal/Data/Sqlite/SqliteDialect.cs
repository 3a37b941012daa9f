using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Data.Sqlite;

/// <summary>SQLite's side of <see cref="StoreDialect"/>: every SQLite-specific query and planner note is here.</summary>
public sealed class SqliteDialect : StoreDialect
{
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    public override StoreProvider Provider => StoreProvider.Sqlite;

    public override string ErasureLimits =>
        "SQLite zeroes erased rows in the database file and empties its write-ahead log afterwards; backups made before keep them.";

    public override Task<DbConnection> OpenConnectionAsync(string connectionString, TimeSpan lockWait, CancellationToken cancellationToken = default) =>
        SqliteStore.OpenConnectionAsync(connectionString, lockWait, cancellationToken);

    /// <summary>
    /// WAL lets the inbox read while the endpoint writes; it is a property of the file, set once. The search index's
    /// secure-delete (a setting kept in the index, SQLite 3.42+) removes a deleted lead's terms from the index at once,
    /// where FTS5 otherwise keeps them in older segments until they happen to be merged: an erased person's name would
    /// stay in the file.
    /// </summary>
    public override async Task PrepareDatabaseAsync(LeadPortalDbContext db, CancellationToken cancellationToken = default)
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("INSERT INTO LeadSearch(LeadSearch, rank) VALUES('secure-delete', 1);", cancellationToken);
    }

    /// <summary>
    /// Every connection runs with <c>secure_delete</c> (<see cref="SqliteStore.ConnectionPragmas"/>), so deleted and
    /// overwritten rows are zeroed in the file; what is left is the write-ahead log, which still holds the pages as they
    /// were before. A checkpoint that truncates it copies the zeroed pages into the file and empties the log.
    /// </summary>
    public override async Task<string?> ReclaimErasedAsync(LeadPortalDbContext db, CancellationToken cancellationToken = default)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            // One row: busy (1 when a reader or writer kept the checkpoint from finishing), log frames, frames checkpointed.
            return await reader.ReadAsync(cancellationToken) && reader.GetInt32(0) != 0
                ? "The write-ahead log could not be emptied at once (the store was busy): it is on the next checkpoint."
                : null;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// An exclusive lock on <c>&lt;database&gt;.startup-lock</c> beside the file, held until disposed: two processes started
    /// on one file (a rolling restart) migrate and bootstrap one after the other. The file stays; only the lock matters.
    /// </summary>
    public override async Task<IAsyncDisposable> AcquireStartupLockAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:")
        {
            return NoLock.Instance;
        }

        var path = Path.GetFullPath(source) + ".startup-lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process is starting on this file: wait for it.
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Nothing to take: a SQLite transaction begun by EF is <c>BEGIN IMMEDIATE</c>, which already holds the one write lock
    /// from its start, so every check inside it sees the last committed state and no other writer can act meanwhile.
    /// </summary>
    public override Task LockForRuleAsync(LeadPortalDbContext db, StoreRule rule, CancellationToken cancellationToken = default) =>
        db.Database.CurrentTransaction is null
            ? throw new InvalidOperationException("A rule is checked inside a transaction.")
            : Task.CompletedTask;

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public override string Identify(string connectionString) =>
        "sqlite:" + Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource ?? "");

    /// <summary>
    /// EF Core's SQLite migration lock is a row in <c>__EFMigrationsLock</c>: a process killed while migrating leaves it,
    /// and every later start waits for it forever. The start-up lock held here is a file lock, which a dead process
    /// cannot keep, so whoever holds it may clear such a leftover.
    /// </summary>
    public override async Task BeforeMigrateAsync(LeadPortalDbContext db, CancellationToken cancellationToken = default)
    {
        var exists = await db.Database.SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'")
            .SingleAsync(cancellationToken);
        if (exists > 0)
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsLock\"", cancellationToken);
        }
    }

    /// <summary>Free bytes on the disk that holds the database file (null for an in-memory database).</summary>
    public override long? FreeDiskBytes(string connectionString)
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
    public override async Task<string?> WriteLockFailureAsync(string connectionString, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await SqliteStore.OpenConnectionAsync(connectionString, wait, cancellationToken);
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

    /// <summary>Locked, full, read-only, I/O error, unopenable or damaged file.</summary>
    public override bool IsStoreUnavailable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 or 8 or 10 or 11 or 13 or 14 or 26 };

    public override string DescribeFailure(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 5 or 6 } => "the database is locked by another process or connection",
        SqliteException { SqliteErrorCode: 13 } => "the disk is full",
        SqliteException { SqliteErrorCode: 8 } => "the database is read-only",
        SqliteException { SqliteErrorCode: 10 } => "a disk I/O error",
        SqliteException { SqliteErrorCode: 14 } => "the database file cannot be opened",
        SqliteException { SqliteErrorCode: 11 or 26 } => "the database file is damaged",
        _ => "an unexpected error (see the server log)",
    };

    /// <summary>Timestamps are ISO text in SQLite: the hour is its first 13 characters, the minute two more.</summary>
    public override async Task<List<TimeBucket>> CountLeadsPerQuarterHourAsync(
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

    /// <summary>
    /// Free-text search over one search document per lead: an FTS5 trigram index (migration SearchDocument) whose
    /// tokenizer folds case and removes diacritics (SQLite 3.45+), so substring search ("wind 42", part of an e-mail,
    /// "muller" for "Müller") is an index lookup instead of a scan of every lead. Trigrams need three characters.
    /// </summary>
    public override int MinSearchLength => 3;

    public override IQueryable<Lead> WhereTextContains(LeadPortalDbContext db, IQueryable<Lead> leads, string text)
    {
        if (text.Length < MinSearchLength)
        {
            // Too short for the trigram index: a scan, but only for one- and two-character searches.
            var pattern = "%" + EscapeLike(text) + "%";
            return leads.Where(l =>
                EF.Functions.Like((l.FirstName ?? "") + " " + (l.LastName ?? ""), pattern, LikeEscape)
                || EF.Functions.Like(l.Email, pattern, LikeEscape)
                || EF.Functions.Like(l.Company, pattern, LikeEscape));
        }

        // "Id IN (subquery)": SQLite runs the index query once, not once per lead as a correlated EXISTS would.
        // One IN list (index hits UNION ALL the newest leads' matches): SQLite then starts from those ids.
        // Written as an OR of the two, it walks the whole inbox order looking for them (7 ms → 670 ms).
        var hits = SearchLeads(db, SearchTerms.Of(text)).Select(h => h.LeadId);
        return leads.Where(l => hits.Contains(l.Id));
    }

    /// <summary>
    /// With a search, the search hits are the few rows to start from: the test flag must then not look like an index
    /// key to SQLite, or it walks the whole feed index checking each lead against the hits.
    /// </summary>
    public override IQueryable<Lead> WithoutTestLeads(IQueryable<Lead> leads, bool withTextSearch) =>
        withTextSearch ? leads.Where(l => !l.IsTest) : leads.WithoutTestLeads();

    /// <summary>How many new leads one indexing step takes: ~10 ms of work, so a commit waiting behind it waits little.</summary>
    public override int SearchIndexBlock => 500;

    /// <summary>
    /// Adds up to <see cref="SearchIndexBlock"/> leads not yet in the free-text index, in one transaction on the caller's
    /// connection. Returns how many were indexed (fewer than the block: the index has caught up). The intake writer keeps
    /// trigram indexing out of its commits (it cost a third of the writer's time); see migration DeferredSearch.
    /// </summary>
    public override async Task<int> IndexNewLeadsAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        var limit = SearchIndexBlock;
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
                INSERT INTO LeadSearch (rowid, {SearchColumns}) SELECT Id, {string.Join(", ", SearchValues)} FROM Leads WHERE Id > $from AND Id <= $to;
                UPDATE LeadSearchProgress SET IndexedUpTo = $to;
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (int)count;
    }

    /// <summary>The search document's columns in <c>LeadSearch</c> (a phrase without a column matches in any of them).</summary>
    private const string SearchColumns = "Name, Email, Company, Offer, Phone, Message";

    /// <summary>
    /// Each column's value from a row of Leads (migration SearchDocument holds a frozen copy). The name is "first last"
    /// and, on a line of its own, "last, first"; the phone is its digits in E.164, national and sent form. A line break
    /// parts two values in a column: searched text never holds one, so no match spans two values.
    /// </summary>
    private static readonly string[] SearchValues =
    [
        "trim(coalesce(FirstName, '') || ' ' || coalesce(LastName, '')) || CASE WHEN coalesce(FirstName, '') <> '' AND coalesce(LastName, '') <> '' THEN char(10) || LastName || ', ' || FirstName ELSE '' END",
        "coalesce(Email, '')",
        "coalesce(Company, '')",
        "coalesce(OfferTitle, '') || char(10) || coalesce(OfferId, '')",
        $"{Digits("PhoneE164")} || ' ' || {Digits("PhoneNational")} || ' ' || {Digits("Phone")}",
        $"substr(coalesce(Description, ''), 1, {SearchMessageLength})",
    ];

    private static string Digits(string column) =>
        $"replace(replace(replace(replace(replace(replace(replace(coalesce({column}, ''), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '')";

    /// <summary>
    /// The ids of leads whose search document contains the terms (at least three characters): the index's hits, and the
    /// leads newer than the index (the intake writer adds them in blocks, normally within a second) matched by LIKE on
    /// the same document folded by <see cref="SqliteStore.FoldFunction"/>, so a search never misses a lead.
    /// </summary>
    /// <remarks>The text must hold no NUL (<see cref="Leads.LeadQuery.SearchText"/> removes it): FTS5 reads a query only up to one.</remarks>
    private static IQueryable<LeadSearchHit> SearchLeads(LeadPortalDbContext db, SearchTerms terms)
    {
        // A quoted FTS5 string is a phrase; with the trigram tokenizer a phrase matches as a substring, folded as the
        // index is (case, diacritics).
        var match = Phrase(terms.Text) + (terms.Digits is { } digits ? " OR " + Phrase(digits) : "");
        var pattern = "%" + EscapeLike(SqliteStore.Fold(terms.Text)) + "%";
        var document = "(" + string.Join(" || char(10) || ", SearchValues) + ")";
        var byDigits = terms.Digits is null ? "" : " OR " + document + " LIKE {2}";
        // Only constant SQL text is put together here; the searched text goes in as parameters.
        var sql = $$"""
            SELECT rowid AS LeadId FROM LeadSearch WHERE LeadSearch MATCH {0}
            UNION ALL
            SELECT Id AS LeadId FROM Leads WHERE Id > (SELECT IndexedUpTo FROM LeadSearchProgress)
              AND ({{SqliteStore.FoldFunction}}({{document}}) LIKE {1} ESCAPE '\'{{byDigits}})
            """;
        return db.Set<LeadSearchHit>().FromSqlRaw(sql, match, pattern, "%" + terms.Digits + "%");
    }

    private static string Phrase(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// From <c>LeadCounts</c>: lead counts per combination of the inbox's small filters (test flag, action, country,
    /// source, status), kept by triggers in the same transaction as the lead (migration InboxIndexes). The total is a sum
    /// over a few hundred rows instead of a walk over every lead (COUNT over 1M index entries costs ~45 ms). SQLite has
    /// one writer at a time, so the hot rows cost nothing extra. Missing values are stored as ''.
    /// </summary>
    public override async Task<int> CountLeadsAsync(
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
    /// A materialized CTE: given the filter and the ids in one WHERE, SQLite walks the filter's index (a country's
    /// 300,000 leads) rather than looking up a few ids; it cannot merge the outer WHERE into this and pick another index.
    /// </summary>
    public override IQueryable<Lead> LeadsWithIds(LeadPortalDbContext db, IReadOnlyCollection<long> ids)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(ids);
        return db.Leads.FromSqlInterpolated($"""
            WITH "Candidates" AS MATERIALIZED (SELECT * FROM "Leads" WHERE "Id" IN (SELECT "value" FROM json_each({json})))
            SELECT * FROM "Candidates"
            """);
    }

    private sealed class TimeBucketRow
    {
        public string Bucket { get; set; } = "";
        public int Quarter { get; set; }
        public int Count { get; set; }
    }
}
