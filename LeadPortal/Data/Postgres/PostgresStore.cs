using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LeadPortal.Data.Postgres;

/// <summary>PostgreSQL connections: the EF options and connections for the intake writer.</summary>
public static class PostgresStore
{
    /// <summary>The EF options every context of the app uses on PostgreSQL.</summary>
    public static TBuilder UseLeadPortalPostgres<TBuilder>(this TBuilder options, string connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        options.UseNpgsql(connectionString);
        return options;
    }

    /// <summary>A context on this database (tests, tools, the store copy).</summary>
    public static PostgresLeadPortalDbContext CreateContext(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgresLeadPortalDbContext>().UseLeadPortalPostgres(connectionString).Options);

    /// <summary>
    /// An open connection whose statements give up waiting for a lock after <paramref name="lockWait"/>
    /// (<c>lock_timeout</c>; a statement's own work gets 30 s), with <c>synchronous_commit</c> on whatever the server's
    /// default: a commit has reached the server's disk (WAL flushed) before the 2xx goes out.
    /// </summary>
    public static async Task<DbConnection> OpenConnectionAsync(string connectionString, TimeSpan lockWait, CancellationToken cancellationToken = default)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(lockWait.TotalSeconds));
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = Math.Max(30, seconds), Timeout = Math.Min(15, Math.Max(2, seconds)) };
        var connection = new NpgsqlConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SET synchronous_commit TO on; SET lock_timeout TO '{(int)lockWait.TotalMilliseconds}ms'";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
