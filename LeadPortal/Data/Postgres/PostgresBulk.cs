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

    /// <summary>
    /// Drops the tables' secondary indexes (not primary keys, nor an index a constraint depends on) inside the transaction
    /// and returns their definitions, for <see cref="RebuildIndexesAsync"/> after the copy: building an index once over
    /// the copied rows is far cheaper than updating it row by row (the trigram GIN indexes most of all: 1M leads copied
    /// in ~5 min with them, see README).
    /// </summary>
    public static async Task<IReadOnlyList<string>> SetIndexesAsideAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        var definitions = new List<(string Name, string Definition)>();
        await using (var command = new NpgsqlCommand("""
            SELECT quote_ident(ic.relname), pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = current_schema() AND t.relname = ANY(@tables) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY ic.relname
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("tables", tables.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                definitions.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        if (definitions.Count > 0)
        {
            await using var drop = new NpgsqlCommand($"DROP INDEX {string.Join(", ", definitions.Select(d => d.Name))}", connection, transaction);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return definitions.Select(d => d.Definition).ToList();
    }

    /// <summary>Builds the indexes <see cref="SetIndexesAsideAsync"/> dropped, one by one, with memory for the sorts.</summary>
    public static async Task RebuildIndexesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<string> definitions, Action<int> built, CancellationToken cancellationToken)
    {
        await using (var memory = new NpgsqlCommand("SET LOCAL maintenance_work_mem = '256MB'", connection, transaction))
        {
            await memory.ExecuteNonQueryAsync(cancellationToken);
        }

        for (var i = 0; i < definitions.Count; i++)
        {
            await using var create = new NpgsqlCommand(definitions[i], connection, transaction);
            await create.ExecuteNonQueryAsync(cancellationToken);
            built(i + 1);
        }
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
