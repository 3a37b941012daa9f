using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LeadPortal.Data.Sqlite;

/// <summary>SQLite connections: where the file is, how each connection is set up, the EF options.</summary>
public static class SqliteStore
{
    /// <summary>
    /// Run on every connection: a commit is on disk before it returns, so a 2xx survives a crash; and a connection that
    /// finds the database locked waits inside SQLite, in steps of a few milliseconds, instead of in Microsoft.Data.Sqlite's
    /// retry loop, which sleeps 150 ms between tries (a lead waiting on a purge batch would wait that long). And what is
    /// deleted or overwritten is zeroed in the file (<c>secure_delete</c>): an erased person must not stay readable in
    /// free pages, nor go into every backup from there.
    /// </summary>
    public static string ConnectionPragmas(TimeSpan lockWait) =>
        $"PRAGMA synchronous=FULL; PRAGMA busy_timeout={(int)lockWait.TotalMilliseconds}; PRAGMA secure_delete=ON;";

    /// <summary>
    /// The SQL name of <see cref="Fold"/>, registered on every connection: the free-text search matches leads newer than
    /// its index with it, folded as the index's tokenizer folds (<c>remove_diacritics</c>).
    /// </summary>
    public const string FoldFunction = "leadportal_fold";

    /// <summary>Lower case without diacritics ("Müller" → "muller"), as FTS5's trigram tokenizer compares text.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                kept.Append(char.ToLowerInvariant(c));
            }
        }

        return kept.ToString().Normalize(NormalizationForm.FormC);
    }

    private static void AddFunctions(DbConnection connection) =>
        ((SqliteConnection)connection).CreateFunction(FoldFunction, (string? text) => text is null ? null : Fold(text), isDeterministic: true);

    /// <summary>How long an ordinary connection waits for a lock before the command fails.</summary>
    public static readonly TimeSpan DefaultLockWait = TimeSpan.FromSeconds(30);

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
            // OpenOrCreate: another process starting on the same new file at the same moment may have made it first.
            using var _ = new FileStream(database, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = OwnerOnly,
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

    public static TBuilder UseLeadPortalSqlite<TBuilder>(this TBuilder options, string connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        options.UseSqlite(connectionString).AddInterceptors(PragmaInterceptor.Instance);
        return options;
    }

    /// <summary>A context on this SQLite file (tests, tools, the store copy).</summary>
    public static SqliteLeadPortalDbContext CreateContext(string connectionString) =>
        new(new DbContextOptionsBuilder<SqliteLeadPortalDbContext>().UseLeadPortalSqlite(connectionString).Options);

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
        AddFunctions(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = ConnectionPragmas(lockWait);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class PragmaInterceptor : DbConnectionInterceptor
    {
        public static readonly PragmaInterceptor Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            AddFunctions(connection);
            using var command = connection.CreateCommand();
            command.CommandText = ConnectionPragmas(DefaultLockWait);
            command.ExecuteNonQuery();
        }

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
            ConfigureConnectionAsync(connection, cancellationToken);
    }
}
