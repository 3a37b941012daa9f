using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Data;

/// <summary>The database products LeadPortal runs on (<c>Store:Provider</c>).</summary>
public enum StoreProvider
{
    /// <summary>One file next to the app: the embedded default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server, for deployments with several instances or a managed database.</summary>
    Postgres,
}

/// <summary>
/// What one database product does its own way: SQL that is not plain EF LINQ, and how a query is written so that
/// this product's planner makes it fast. Feature folders say what a filter means and call these; each provider's
/// implementation (and every SQL string it runs) lives in its own folder under <c>Data/</c>.
/// </summary>
public abstract class StoreDialect
{
    public abstract StoreProvider Provider { get; }

    // ---- Connections below EF (the intake writer, health checks) ----

    /// <summary>An open, configured connection whose commands give up after <paramref name="lockWait"/> when blocked.</summary>
    public abstract Task<DbConnection> OpenConnectionAsync(string connectionString, TimeSpan lockWait, CancellationToken cancellationToken = default);

    /// <summary>How long the intake writer waits for a lock: past this a lead is answered 503 rather than left hanging.</summary>
    public virtual TimeSpan WriterLockWait => TimeSpan.FromSeconds(3);

    /// <summary>The isolation of the intake writer's grouped transaction.</summary>
    public virtual IsolationLevel WriterIsolation => IsolationLevel.Serializable;

    /// <summary>The intake writer's statements on one of its connections (row by row unless the provider batches).</summary>
    public virtual IntakeBatch CreateIntakeBatch(DbConnection connection, string instance) => new RowIntakeBatch(connection);

    /// <summary>
    /// Tells every instance listening on the store (<see cref="StoreSignals"/>); inside a transaction, at its commit.
    /// Nothing to do where there is one instance.
    /// </summary>
    public virtual Task NotifyAsync(LeadPortalDbContext db, string channel, string payload, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// Held while an instance migrates the store and creates what a first start creates (admin, key, roles, key ring),
    /// so that instances started together do it once. Waits for an instance that holds it.
    /// </summary>
    public abstract Task<IAsyncDisposable> AcquireStartupLockAsync(string connectionString, CancellationToken cancellationToken = default);

    /// <summary>
    /// Serialises a check-then-act rule (the last admin) across instances, for the rest of the context's transaction.
    /// </summary>
    public abstract Task LockForRuleAsync(LeadPortalDbContext db, StoreRule rule, CancellationToken cancellationToken = default);

    /// <summary>
    /// True when the store as a whole refuses writes (unreachable, locked, full, read-only, damaged), as opposed to one
    /// statement failing: every write would fail the same way until the cause is fixed.
    /// </summary>
    /// <summary>
    /// Locks these leads' rows for the rest of the caller's transaction, before it deletes what points at them: a
    /// delete that took the outbox's rows first and the leads' after deadlocked with the dispatcher, which goes the
    /// other way round. SQLite has one writer at a time, so nothing to do there; nor outside a transaction, where each
    /// statement stands alone.
    /// </summary>
    public virtual Task LockLeadsAsync(LeadPortalDbContext db, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    public abstract bool IsStoreUnavailable(Exception exception);

    /// <summary>What went wrong with a write, in words for a delivery log, a problem answer or a health report.</summary>
    public abstract string DescribeFailure(Exception exception);

    /// <summary>
    /// Why the store cannot take a write within <paramref name="wait"/>, or null when it can (writes nothing).
    /// </summary>
    public abstract Task<string?> WriteLockFailureAsync(string connectionString, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>Free bytes on the disk that holds the data, when this process can know it (a local file); else null.</summary>
    public abstract long? FreeDiskBytes(string connectionString);

    /// <summary>
    /// Which store a connection string points at, without secrets (the file, or host, port and database): what a local
    /// file kept for this store (the intake spool) is filed under, so that it is never stored into another.
    /// </summary>
    public abstract string Identify(string connectionString);

    /// <summary>Once per start, after migrations: settings that belong to the database rather than a connection.</summary>
    public virtual Task PrepareDatabaseAsync(LeadPortalDbContext db, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// After an erasure: makes the store's files let go of the erased rows where the store can do that online. Returns
    /// what it could not do, or null.
    /// </summary>
    public virtual Task<string?> ReclaimErasedAsync(LeadPortalDbContext db, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

    /// <summary>What the store keeps of erased rows that the app cannot reach (shown on the Personal data page).</summary>
    public abstract string ErasureLimits { get; }

    /// <summary>Run under the start-up lock just before migrating (nothing by default).</summary>
    public virtual Task BeforeMigrateAsync(LeadPortalDbContext db, CancellationToken cancellationToken = default) => Task.CompletedTask;

    // ---- The inbox ----

    /// <summary>Searches shorter than this scan instead of using the text index.</summary>
    public abstract int MinSearchLength { get; }

    /// <summary>How much of a lead's message (<see cref="Lead.Description"/>) its search document holds.</summary>
    public const int SearchMessageLength = 2_000;

    /// <summary>
    /// Leads whose search document contains <paramref name="text"/>, ignoring case and accents ("muller" finds
    /// "Müller"): the name as "first last" and "last, first", e-mail, company, offer title and id, the message (its first
    /// <see cref="SearchMessageLength"/> characters), and the phone number's digits (<see cref="SearchTerms"/>). Searches
    /// shorter than <see cref="MinSearchLength"/> match the name, e-mail and company as typed (ASCII case ignored).
    /// </summary>
    /// <param name="text">Trimmed, without control characters (see <c>LeadQuery.SearchText</c>).</param>
    public abstract IQueryable<Lead> WhereTextContains(LeadPortalDbContext db, IQueryable<Lead> leads, string text);

    /// <summary>Real leads only, written the way this planner reads best alongside a text search or not.</summary>
    public abstract IQueryable<Lead> WithoutTestLeads(IQueryable<Lead> leads, bool withTextSearch);

    /// <summary>How many leads match these small filters (null: any value), the inbox's total without a walk over every lead.</summary>
    public abstract Task<int> CountLeadsAsync(
        LeadPortalDbContext db, bool? isTest, string? action, string? country, string? source, int? status, CancellationToken cancellationToken = default);

    /// <summary>Just the leads with these ids, as a source other filters are applied to without index lookups.</summary>
    public abstract IQueryable<Lead> LeadsWithIds(LeadPortalDbContext db, IReadOnlyCollection<long> ids);

    /// <summary>
    /// Every offer with its newest title, for the inbox's offer filter. A DISTINCT over a million leads reads them all
    /// (1.4 s on SQLite); this recursive CTE hops from one offer to the next along the offer index instead (a loose index
    /// scan: a seek per offer, ~3 ms), which both planners run the same way. Plain SQL both providers take.
    /// </summary>
    public Task<List<OfferOption>> GetOffersAsync(LeadPortalDbContext db, CancellationToken cancellationToken = default) =>
        db.Database.SqlQueryRaw<OfferOption>("""
            WITH RECURSIVE "Offer"("Id") AS (
                SELECT (SELECT min("OfferId") FROM "Leads")
                UNION ALL
                SELECT (SELECT min("OfferId") FROM "Leads" WHERE "OfferId" > "Offer"."Id") FROM "Offer" WHERE "Offer"."Id" IS NOT NULL)
            SELECT "Id", (SELECT "OfferTitle" FROM "Leads" WHERE "OfferId" = "Offer"."Id" AND "OfferTitle" IS NOT NULL
                          ORDER BY "ReceivedAt" DESC LIMIT 1) AS "Title"
            FROM "Offer" WHERE "Id" IS NOT NULL
            """).ToListAsync(cancellationToken);

    /// <summary>
    /// The sources and countries some lead still has, from the kept totals in <c>LeadCounts</c> (a few hundred or
    /// thousand rows; each provider's migrations keep it, '' standing for a missing value). Plain SQL both providers take.
    /// </summary>
    public async Task<(List<string> Sources, List<string> Countries)> GetSourcesAndCountriesAsync(
        LeadPortalDbContext db, CancellationToken cancellationToken = default)
    {
        var sources = await db.Database.SqlQueryRaw<string>(
            """SELECT "Source" AS "Value" FROM "LeadCounts" WHERE "Source" <> '' GROUP BY "Source" HAVING sum("Count") > 0""").ToListAsync(cancellationToken);
        var countries = await db.Database.SqlQueryRaw<string>(
            """SELECT "Country" AS "Value" FROM "LeadCounts" WHERE "Country" <> '' GROUP BY "Country" HAVING sum("Count") > 0""").ToListAsync(cancellationToken);
        return (sources, countries);
    }

    /// <summary>
    /// Non-test leads per quarter-hour in [from, to): every time zone's offset is a whole number of quarter-hours
    /// (+05:45, +12:45 included), so the buckets fold into the viewer's local days exactly.
    /// </summary>
    public abstract Task<List<TimeBucket>> CountLeadsPerQuarterHourAsync(
        LeadPortalDbContext db, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default);

    // ---- The free-text index kept outside the lead's commit (SQLite); a no-op where the index is kept in it ----

    /// <summary>How many new leads one indexing step takes (0: the index is kept in the lead's own commit).</summary>
    public virtual int SearchIndexBlock => 0;

    /// <summary>Adds up to <see cref="SearchIndexBlock"/> leads not yet in the text index; returns how many it added.</summary>
    public virtual Task<int> IndexNewLeadsAsync(DbConnection connection, CancellationToken cancellationToken = default) => Task.FromResult(0);

    /// <summary>LIKE's escape character for <see cref="EscapeLike"/> patterns.</summary>
    public const string LikeEscape = "\\";

    /// <summary>The text with LIKE's wildcards escaped (by <see cref="LikeEscape"/>).</summary>
    public static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}

public readonly record struct TimeBucket(DateTime StartUtc, int Count);

public sealed class OfferOption
{
    public string Id { get; set; } = "";
    public string? Title { get; set; }
}

public static class StoreQueryExtensions
{
    /// <summary>
    /// Real leads only. Written as an equality with a parameter ("IsTest" = @p), which both planners use as the first
    /// key of the feed index; EF turns <c>!l.IsTest</c> into <c>NOT "IsTest"</c>, which SQLite can only test row by row.
    /// </summary>
    public static IQueryable<Lead> WithoutTestLeads(this IQueryable<Lead> leads)
    {
        var isTest = false;
        return leads.Where(l => l.IsTest == isTest);
    }
}

/// <summary>Rules checked and then acted on, each serialised on its own (<see cref="StoreDialect.LockForRuleAsync"/>).</summary>
public enum StoreRule
{
    /// <summary>There is always one active admin.</summary>
    LastAdmin = 1,
}
