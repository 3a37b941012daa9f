using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using LeadPortal.Data.Postgres;
using LeadPortal.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace LeadPortal.Data;

/// <summary>A copy could not be made; nothing was written to the target.</summary>
public sealed class StoreCopyException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record StoreCopyTable(string Table, long Source, long Target);

/// <summary>
/// Copies a SQLite store into a PostgreSQL database: every table of the model (leads with their raw bodies, activity,
/// users and roles, keys, mappings, export history, delivery and audit logs, outbox, mail and forwarding), ids kept.
/// The target is migrated first; the copy is one transaction, so a failed or interrupted copy leaves the target as it
/// was and can simply be run again. A target that already holds data is refused unless <c>replace</c> empties it.
/// The source is read in one read transaction: a consistent picture of the moment the copy began.
/// </summary>
public static class StoreCopy
{
    public static async Task<IReadOnlyList<StoreCopyTable>> CopyAsync(
        string sqliteConnectionString, string postgresConnectionString, bool replace, Action<string> progress, CancellationToken cancellationToken = default)
    {
        var sourcePath = new SqliteConnectionStringBuilder(sqliteConnectionString).DataSource;
        if (string.IsNullOrEmpty(sourcePath) || !File.Exists(sourcePath))
        {
            throw new StoreCopyException($"There is no SQLite database at '{sourcePath}'.");
        }

        await using (var source = SqliteStore.CreateContext(sqliteConnectionString))
        {
            var pending = (await source.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                throw new StoreCopyException(
                    $"The SQLite database is not up to date ({pending.Count} migration(s) pending, from {pending[0]}): start LeadPortal on it once (it upgrades itself), then copy.");
            }
        }

        List<TableCopy> tables;
        await using (var target = PostgresStore.CreateContext(postgresConnectionString))
        {
            progress("Preparing the PostgreSQL database (migrations)…");
            try
            {
                await target.Database.MigrateAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                throw new StoreCopyException($"The PostgreSQL database cannot be prepared: {ex.Message}", ex);
            }

            tables = TablesInOrder(target.Model);
        }

        await using var to = await PostgresBulk.OpenAsync(postgresConnectionString, cancellationToken);
        await using var transaction = await to.BeginTransactionAsync(cancellationToken);
        var occupied = new List<string>();
        foreach (var table in tables.Where(t => !SeededByMigrations.Contains(t.Name)))
        {
            var rows = await PostgresBulk.CountAsync(to, transaction, table.Name, cancellationToken);
            if (rows > 0)
            {
                occupied.Add($"{table.Name}: {rows:N0}");
            }
        }

        if (occupied.Count > 0)
        {
            if (!replace)
            {
                throw new StoreCopyException(
                    $"The PostgreSQL database already holds data ({string.Join(", ", occupied)}). Copy into an empty database, or add --replace to empty it first.");
            }

            progress($"Emptying the target ({string.Join(", ", occupied)})…");
            await PostgresBulk.TruncateAsync(to, transaction, tables.Select(t => t.Name), cancellationToken);
        }
        else
        {
            // A fresh database holds what its migrations seeded; the source's own rows (with their ids) replace it.
            await PostgresBulk.TruncateAsync(to, transaction, tables.Select(t => t.Name).Where(SeededByMigrations.Contains), cancellationToken);
        }

        await using var from = new SqliteConnection(new SqliteConnectionStringBuilder(sqliteConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await from.OpenAsync(cancellationToken);
        // One read transaction: every table as of the same moment, however long the copy takes.
        await using var snapshot = from.BeginTransaction(deferred: true);

        progress("Setting the target's secondary indexes aside (they are built again after the copy)…");
        var indexes = await PostgresBulk.SetIndexesAsideAsync(to, transaction, tables.Select(t => t.Name), cancellationToken);

        var results = new List<StoreCopyTable>();
        foreach (var table in tables)
        {
            var copied = await CopyTableAsync(from, snapshot, to, table, progress, cancellationToken);
            if (table.Identity is { } identity)
            {
                await PostgresBulk.ResetIdentityAsync(to, transaction, table.Name, identity, cancellationToken);
            }

            var counted = await PostgresBulk.CountAsync(to, transaction, table.Name, cancellationToken);
            results.Add(new StoreCopyTable(table.Name, copied, counted));
        }

        if (results.FirstOrDefault(r => r.Source != r.Target) is { } wrong)
        {
            throw new StoreCopyException($"{wrong.Table}: {wrong.Source:N0} rows read but {wrong.Target:N0} in the target; nothing was kept.");
        }

        var building = Stopwatch.StartNew();
        progress($"Building {indexes.Count} indexes…");
        await PostgresBulk.RebuildIndexesAsync(to, transaction, indexes, done =>
        {
            if (building.ElapsedMilliseconds >= 1000 || done == indexes.Count)
            {
                progress($"Indexes: {done} / {indexes.Count} built");
                building.Restart();
            }
        }, cancellationToken);

        progress("Committing…");
        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    private sealed record Column(string Name, Type Type);

    private sealed record TableCopy(string Name, IReadOnlyList<Column> Columns, string OrderBy, string? Identity);

    /// <summary>Tables a migration fills (the disqualify reasons): their seed alone does not make a target "in use".</summary>
    private static readonly string[] SeededByMigrations = ["DisqualifyReasons"];

    /// <summary>Every table of the model, each after the tables its foreign keys point to.</summary>
    private static List<TableCopy> TablesInOrder(IModel model)
    {
        var entities = model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null && e.GetViewName() is null && e.FindPrimaryKey() is not null && !e.IsOwned())
            .ToList();
        var byTable = entities.GroupBy(e => e.GetTableName()!).ToDictionary(g => g.Key, g => g.First());
        var ordered = new List<string>();
        var visiting = new HashSet<string>();

        void Visit(string table)
        {
            if (ordered.Contains(table) || !visiting.Add(table))
            {
                return;
            }

            foreach (var principal in byTable[table].GetForeignKeys().Select(k => k.PrincipalEntityType.GetTableName()).OfType<string>())
            {
                if (principal != table && byTable.ContainsKey(principal))
                {
                    Visit(principal);
                }
            }

            ordered.Add(table);
        }

        foreach (var table in byTable.Keys.Order(StringComparer.Ordinal))
        {
            Visit(table);
        }

        return ordered.Select(name =>
        {
            var entity = byTable[name];
            var store = StoreObjectIdentifier.Table(name, entity.GetSchema());
            var columns = entity.GetProperties()
                .Select(p => (Property: p, Name: p.GetColumnName(store)))
                .Where(c => c.Name is not null)
                .Select(c =>
                {
                    var mapping = c.Property.GetRelationalTypeMapping();
                    var type = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
                    return new Column(c.Name!, Nullable.GetUnderlyingType(type) ?? type);
                })
                .ToList();
            var key = entity.FindPrimaryKey()!.Properties;
            var orderBy = string.Join(", ", key.Select(p => PostgresBulk.Quote(p.GetColumnName(store)!)));
            var identity = key is [{ ValueGenerated: ValueGenerated.OnAdd } single] && (single.ClrType == typeof(int) || single.ClrType == typeof(long))
                ? single.GetColumnName(store)
                : null;
            return new TableCopy(name, columns, orderBy, identity);
        }).ToList();
    }

    private static async Task<long> CopyTableAsync(
        SqliteConnection from, DbTransaction snapshot, NpgsqlConnection to, TableCopy table, Action<string> progress, CancellationToken cancellationToken)
    {
        await using var count = from.CreateCommand();
        count.Transaction = (SqliteTransaction)snapshot;
        count.CommandText = $"SELECT count(*) FROM {PostgresBulk.Quote(table.Name)}";
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);

        await using var select = from.CreateCommand();
        select.Transaction = (SqliteTransaction)snapshot;
        select.CommandText = $"SELECT {string.Join(", ", table.Columns.Select(c => PostgresBulk.Quote(c.Name)))} FROM {PostgresBulk.Quote(table.Name)} ORDER BY {table.OrderBy}";
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await using var importer = await PostgresBulk.BeginCopyAsync(to, table.Name, table.Columns.Select(c => c.Name).ToList(), cancellationToken);
        long copied = 0;
        var shown = Stopwatch.StartNew();
        if (total > 0)
        {
            progress($"{table.Name}: 0 / {total:N0}");
        }

        while (await reader.ReadAsync(cancellationToken))
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < table.Columns.Count; i++)
            {
                if (await reader.IsDBNullAsync(i, cancellationToken))
                {
                    await importer.WriteNullAsync(cancellationToken);
                    continue;
                }

                await WriteAsync(importer, reader, i, table.Columns[i], cancellationToken);
            }

            copied++;
            if (shown.ElapsedMilliseconds >= 1000)
            {
                progress($"{table.Name}: {copied:N0} / {total:N0}");
                shown.Restart();
            }
        }

        await importer.CompleteAsync(cancellationToken);
        progress($"{table.Name}: {copied:N0} / {total:N0} copied");
        return copied;
    }

    /// <summary>Reads the value as the target column's type (SQLite keeps timestamps as text, flags as integers).</summary>
    private static Task WriteAsync(NpgsqlBinaryImporter importer, SqliteDataReader reader, int i, Column column, CancellationToken cancellationToken) => column.Type switch
    {
        var t when t == typeof(string) => importer.WriteAsync(reader.GetString(i), cancellationToken),
        var t when t == typeof(long) => importer.WriteAsync(reader.GetInt64(i), cancellationToken),
        var t when t == typeof(int) => importer.WriteAsync(reader.GetInt32(i), cancellationToken),
        var t when t == typeof(short) => importer.WriteAsync(reader.GetInt16(i), cancellationToken),
        var t when t == typeof(bool) => importer.WriteAsync(reader.GetBoolean(i), cancellationToken),
        var t when t == typeof(byte[]) => importer.WriteAsync(reader.GetFieldValue<byte[]>(i), cancellationToken),
        var t when t == typeof(double) => importer.WriteAsync(reader.GetDouble(i), cancellationToken),
        var t when t == typeof(decimal) => importer.WriteAsync(reader.GetDecimal(i), cancellationToken),
        var t when t == typeof(Guid) => importer.WriteAsync(reader.GetGuid(i), cancellationToken),
        var t when t == typeof(DateTime) => importer.WriteAsync(DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Utc), cancellationToken),
        var t when t == typeof(DateTimeOffset) => importer.WriteAsync(reader.GetFieldValue<DateTimeOffset>(i).ToUniversalTime(), cancellationToken),
        var t when t == typeof(DateOnly) => importer.WriteAsync(reader.GetFieldValue<DateOnly>(i), cancellationToken),
        var t when t == typeof(TimeOnly) => importer.WriteAsync(reader.GetFieldValue<TimeOnly>(i), cancellationToken),
        _ => throw new StoreCopyException($"Column {column.Name} has type {column.Type.Name}, which the copy does not know."),
    };
}
