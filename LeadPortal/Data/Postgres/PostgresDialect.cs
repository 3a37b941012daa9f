using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LeadPortal.Data.Postgres;

/// <summary>PostgreSQL's side of <see cref="StoreDialect"/>: every PostgreSQL-specific query and planner note is here.</summary>
public sealed class PostgresDialect : StoreDialect
{
    public static readonly PostgresDialect Instance = new();

    private PostgresDialect()
    {
    }

    public override StoreProvider Provider => StoreProvider.Postgres;

    public override Task<DbConnection> OpenConnectionAsync(string connectionString, TimeSpan lockWait, CancellationToken cancellationToken = default) =>
        PostgresStore.OpenConnectionAsync(connectionString, lockWait, cancellationToken);

    /// <summary>
    /// Read committed, with the batch's body hashes locked first (see <see cref="PostgresIntakeBatch"/>): a duplicate
    /// posted to another instance at the same moment waits for this commit and then sees the lead, so duplicate detection
    /// stays exact across processes without serialization failures to retry.
    /// </summary>
    public override IsolationLevel WriterIsolation => IsolationLevel.ReadCommitted;

    public override IntakeBatch CreateIntakeBatch(DbConnection connection, string instance) =>
        new PostgresIntakeBatch((NpgsqlConnection)connection) { Announcer = instance };

    public override Task NotifyAsync(LeadPortalDbContext db, string channel, string payload, CancellationToken cancellationToken = default) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({channel}, {payload})", cancellationToken);

    /// <summary>Advisory-lock keys (one namespace for the app, a number per purpose).</summary>
    private const int LockSpace = 0x4C50; // "LP"

    /// <summary>
    /// A session advisory lock on a connection of its own, held until disposed: every instance's start waits its turn
    /// (EF's own migration lock covers the migrations only, not the first admin and key created after them).
    /// </summary>
    public override async Task<IAsyncDisposable> AcquireStartupLockAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = "LeadPortal start-up",
            CommandTimeout = 0,
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@Space, 1)", connection);
            command.Parameters.Add(new NpgsqlParameter<int>("Space", LockSpace));
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection; // closing the session releases the lock
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A transaction-scoped advisory lock per rule: the second admin's check waits for the first one's commit.</summary>
    public override Task LockForRuleAsync(LeadPortalDbContext db, StoreRule rule, CancellationToken cancellationToken = default) =>
        db.Database.CurrentTransaction is null
            ? throw new InvalidOperationException("A rule is checked inside a transaction.")
            : db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockSpace}, {100 + (int)rule})", cancellationToken);

    /// <summary>Row locks that also wait for the dispatcher's key-share locks (its mail rows' references), in id order.</summary>
    public override Task LockLeadsAsync(LeadPortalDbContext db, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null || ids.Count == 0)
        {
            return Task.CompletedTask;
        }

        var list = ids.ToArray();
        return db.Database.ExecuteSqlAsync($"""SELECT 1 FROM "Leads" WHERE "Id" = ANY({list}) ORDER BY "Id" FOR UPDATE""", cancellationToken);
    }

    /// <summary>No local file: the server's disk is the server's to watch.</summary>
    public override long? FreeDiskBytes(string connectionString) => null;

    /// <summary>Reachable and not a read-only server (a standby, or <c>default_transaction_read_only</c>).</summary>
    public override async Task<string?> WriteLockFailureAsync(string connectionString, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await PostgresStore.OpenConnectionAsync(connectionString, wait, cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'";
            return await command.ExecuteScalarAsync(cancellationToken) is true ? "the database is read-only" : null;
        }
        catch (Exception ex) when (IsStoreUnavailable(ex))
        {
            return DescribeFailure(ex);
        }
    }

    public override string Identify(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres:{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    public override string ErasureLimits =>
        "PostgreSQL no longer returns erased rows to anyone at once, but keeps their bytes in its data files until VACUUM (autovacuum, "
        + "within minutes to hours) frees the space and later writes reuse it, and in its write-ahead log until the log is recycled. "
        + "Backups and WAL archives made before keep them. To rewrite the files now, run VACUUM FULL on \"Leads\", \"LeadPayloads\", "
        + "\"LeadActivities\" and \"MailOutbox\" in a quiet hour (it locks each table while it runs).";

    public override bool IsStoreUnavailable(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("28", StringComparison.Ordinal)
            || pg.SqlState is PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.LockNotAvailable
                or PostgresErrorCodes.QueryCanceled or PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.IndexCorrupted,
        NpgsqlException => true,
        TimeoutException or SocketException => true,
        _ => exception.InnerException is { } inner && IsStoreUnavailable(inner),
    };

    public override string DescribeFailure(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.DiskFull } => "the database server's disk is full",
        PostgresException pg when pg.SqlState.StartsWith("53", StringComparison.Ordinal) => "the database server is out of resources",
        PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction } => "the database is read-only",
        PostgresException pg when pg.SqlState.StartsWith("57P", StringComparison.Ordinal) => "the database server is shutting down or restarting",
        PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } => "the database does not exist",
        PostgresException pg when pg.SqlState.StartsWith("28", StringComparison.Ordinal) => "the database refused the credentials",
        PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled } => "the database is locked by another transaction",
        PostgresException { SqlState: PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.IndexCorrupted } => "the database is damaged",
        PostgresException pg when pg.SqlState.StartsWith("08", StringComparison.Ordinal) => "the database server cannot be reached",
        // The server answered, so it is not an outage: it refused what it was given.
        PostgresException pg => $"the database refused the lead ({pg.SqlState}: {pg.MessageText})",
        NpgsqlException or TimeoutException or SocketException => "the database server cannot be reached",
        { InnerException: { } inner } => DescribeFailure(inner),
        _ => "an unexpected error (see the server log)",
    };

    /// <summary>Quarter-hours with <c>date_bin</c> on the timestamptz column, grouped in the database.</summary>
    public override Task<List<TimeBucket>> CountLeadsPerQuarterHourAsync(
        LeadPortalDbContext db, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default) =>
        db.Database.SqlQuery<BucketRow>($"""
            SELECT date_bin('15 minutes', "ReceivedAt", TIMESTAMPTZ '2000-01-01 00:00:00+00') AS "StartUtc", count(*)::int AS "Count"
            FROM "Leads"
            WHERE "IsTest" = false AND "ReceivedAt" >= {fromUtc} AND "ReceivedAt" < {toUtc}
            GROUP BY 1
            """).Select(r => new TimeBucket(r.StartUtc, r.Count)).ToListAsync(cancellationToken);

    /// <summary>
    /// pg_trgm's GIN index on the folded search document (migration SearchDocument) answers substring searches of three
    /// characters or more; shorter ones scan.
    /// </summary>
    public override int MinSearchLength => 3;

    /// <summary>
    /// LIKE on the lead's <c>"SearchDocument"</c>, a stored generated column computed by <c>lead_search_document(…)</c>,
    /// an IMMUTABLE SQL function of the lead's columns that folds them with <c>unaccent</c> and <c>lower</c>, under one
    /// GIN trigram index whose new entries wait in its 1 MB pending list (<c>fastupdate</c> on, migration
    /// SearchIndexFastUpdate), which searches read too. The searched text is folded by the same function in the database, so both sides fold
    /// alike (unaccent turns "ß" into "ss", which .NET would not). A phone-like text also matches by its digits (a
    /// second bitmap scan of the same index, ORed).
    /// <para>
    /// A search holding an e-mail address looks the index up by its local part and the <c>@</c> alone, and checks the
    /// whole text on the rows found: a GIN scan reads the posting list of every trigram in its pattern, and a domain
    /// shares several with every other address (<c>exa</c>, <c>com</c>…), so the whole address read ~1M entries per
    /// common trigram (78 ms at 1M leads; by the local part, 8 ms). Any lead containing the text contains its local part,
    /// so nothing is missed; the whole-text check is written on <c>document || ''</c> so that it is not an index
    /// condition too (it would bring the common trigrams back into the scan).
    /// </para>
    /// </summary>
    public override IQueryable<Lead> WhereTextContains(LeadPortalDbContext db, IQueryable<Lead> leads, string text)
    {
        if (text.Length < MinSearchLength)
        {
            // Too short for trigrams: a scan, but only for one- and two-character searches.
            var pattern = "%" + EscapeLike(text) + "%";
            return leads.Where(l =>
                EF.Functions.ILike((l.FirstName ?? "") + " " + (l.LastName ?? ""), pattern, LikeEscape)
                || EF.Functions.ILike(l.Email!, pattern, LikeEscape)
                || EF.Functions.ILike(l.Company!, pattern, LikeEscape));
        }

        var hits = SearchLeads(db, SearchTerms.Of(text)).Select(h => h.LeadId);
        return leads.Where(l => hits.Contains(l.Id));
    }

    /// <summary>
    /// The stored generated column that holds <c>lead_search_document(…)</c> (migration SearchDocument): a match's recheck
    /// reads it rather than folding the lead's columns again.
    /// </summary>
    private const string Document = "\"SearchDocument\"";

    private IQueryable<LeadSearchHit> SearchLeads(LeadPortalDbContext db, SearchTerms terms)
    {
        List<NpgsqlParameter> parameters = [new NpgsqlParameter<string>("pattern", "%" + EscapeLike(terms.Text) + "%")];
        var at = terms.Text.IndexOf('@', StringComparison.Ordinal);
        var where = $"""{Document} LIKE public.search_fold(@pattern)""";
        if (at >= MinSearchLength)
        {
            parameters.Add(new NpgsqlParameter<string>("probe", "%" + EscapeLike(terms.Text[..(at + 1)]) + "%"));
            where = $"""({Document} LIKE public.search_fold(@probe) AND ({Document} || '') LIKE public.search_fold(@pattern))""";
        }

        if (terms.Digits is { } digits)
        {
            parameters.Add(new NpgsqlParameter<string>("digits", "%" + digits + "%"));
            where += $""" OR {Document} LIKE @digits""";
        }

        // Only constant SQL text is put together here; the searched text goes in as parameters.
        var sql = $"""SELECT "Id" AS "LeadId" FROM "Leads" WHERE {where}""";
        return db.Set<LeadSearchHit>().FromSqlRaw(sql, [.. parameters]);
    }

    public override IQueryable<Lead> WithoutTestLeads(IQueryable<Lead> leads, bool withTextSearch) => leads.WithoutTestLeads();

    /// <summary>
    /// A sum over <c>LeadCounts</c> (migration KeptTotals: kept by statement triggers in the lead's own commit, in slot
    /// rows so that concurrent writers seldom share one). A plain COUNT over the covering index took 80–120 ms at a million
    /// leads.
    /// </summary>
    public override async Task<int> CountLeadsAsync(
        LeadPortalDbContext db, bool? isTest, string? action, string? country, string? source, int? status, CancellationToken cancellationToken = default)
    {
        var total = await db.Database.SqlQuery<long>($"""
            SELECT coalesce(sum("Count"), 0)::bigint AS "Value" FROM "LeadCounts"
            WHERE ({isTest}::boolean IS NULL OR "IsTest" = {isTest}::boolean) AND ({action}::text IS NULL OR "ActionCode" = {action}::text)
              AND ({country}::text IS NULL OR "Country" = {country}::text) AND ({source}::text IS NULL OR "Source" = {source}::text)
              AND ({status}::integer IS NULL OR "Status" = {status}::integer)
            """).SingleAsync(cancellationToken);
        return (int)total;
    }

    /// <summary><c>"Id" = ANY(@ids)</c>: PostgreSQL's planner starts from the ids by itself.</summary>
    public override IQueryable<Lead> LeadsWithIds(LeadPortalDbContext db, IReadOnlyCollection<long> ids)
    {
        var list = ids.ToArray();
        return db.Leads.Where(l => list.Contains(l.Id));
    }

    private sealed class BucketRow
    {
        public DateTime StartUtc { get; set; }
        public int Count { get; set; }
    }
}
