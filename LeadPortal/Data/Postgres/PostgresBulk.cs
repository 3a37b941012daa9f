using System.Data.Common;
using Npgsql;

namespace LeadPortal.Data.Postgres;

/// <summary>Bulk work on a PostgreSQL target: binary COPY, emptying tables, and identity sequences after explicit ids.</summary>
public static class PostgresBulk
{
    /// <summary>Rows per table in one statement: <c>count(*)</c> of each, in the given order.</summary>
    public static async Task<long> CountAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {Quote(table)}", connection, transaction);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Empties the tables (and restarts their identities) inside the transaction, and the kept totals with them (TRUNCATE
    /// fires no delete triggers).
    /// </summary>
    public static async Task TruncateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"TRUNCATE {string.Join(", ", tables.Append("LeadCounts").Distinct().Select(Quote))} RESTART IDENTITY CASCADE", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Starts a binary COPY into the table's columns (in this order).</summary>
    public static Task<NpgsqlBinaryImporter> BeginCopyAsync(NpgsqlConnection connection, string table, IReadOnlyList<string> columns, CancellationToken cancellationToken) =>
        connection.BeginBinaryImportAsync($"COPY {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) FROM STDIN (FORMAT BINARY)", cancellationToken);

    /// <summary>Sets an identity column's sequence past the highest id copied, so new rows do not collide with kept ids.</summary>
    public static async Task ResetIdentityAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, string column, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT setval(pg_get_serial_sequence(@table, @column), coalesce(max({Quote(column)}), 0) + 1, false) FROM {Quote(table)}", connection, transaction);
        command.Parameters.AddWithValue("table", Quote(table));
        command.Parameters.AddWithValue("column", column);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Opens a plain connection on the target (no EF), for the copy.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ToString());
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public static bool IsConnectionError(Exception exception) => exception is NpgsqlException or DbException;
}
