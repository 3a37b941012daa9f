using System.Diagnostics;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Npgsql;

namespace LeadPortal.Benchmarks;

/// <summary>
/// The seeded leads on PostgreSQL: a private server (fsync on, as in production), filled from the seeded SQLite file by
/// copy-store (the path a real deployment takes), then analysed as autovacuum would after such a load.
/// </summary>
internal static class PostgresBench
{
    public static async Task<string> EnsureAsync(string sqliteDatabase, int leads)
    {
        // BENCH_POSTGRES=<connection string>: a database filled earlier (by this bench or copy-store), used as it is.
        if (Environment.GetEnvironmentVariable("BENCH_POSTGRES") is { Length: > 0 } existing)
        {
            Console.WriteLine("Using the PostgreSQL database given in BENCH_POSTGRES");
            return existing;
        }

        PostgresServer.Durable = true;
        var server = PostgresServer.Instance;
        var database = server.NewDatabase();
        Console.WriteLine($"Copying {leads:N0} leads into PostgreSQL (copy-store) …");
        var watch = Stopwatch.StartNew();
        var last = Stopwatch.StartNew();
        await StoreCopy.CopyAsync($"Data Source={sqliteDatabase}", database, replace: true, line =>
        {
            if (last.ElapsedMilliseconds > 5000 || line.EndsWith("copied", StringComparison.Ordinal))
            {
                Console.WriteLine("  " + line);
                last.Restart();
            }
        });
        Console.WriteLine($"  copied in {watch.Elapsed.TotalSeconds:0}s");

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandTimeout = 0;
        command.CommandText = "VACUUM ANALYZE";
        await command.ExecuteNonQueryAsync();
        return database;
    }
}
