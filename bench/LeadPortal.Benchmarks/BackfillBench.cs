using System.Diagnostics;
using LeadPortal.Data;
using LeadPortal.Data.Sqlite;
using LeadPortal.Quality;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Benchmarks;

/// <summary>
/// The backfill's rate on SQLite (issue 25: at least 5,000 leads/s): a reprocessing run's batches (500 leads: parse the
/// raw body, campaign, quality rating with its same-address query, save) over the first BENCH_BACKFILL_LEADS leads of a
/// copy of the seeded file, without the job's lease bookkeeping (one row update a batch).
/// </summary>
internal static class BackfillBench
{
    public static async Task RunAsync(Report report, string seeded, string results)
    {
        var copy = Path.Combine(results, "backfill-bench.db");
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(copy + suffix);
        }

        await using (var source = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={seeded};Pooling=False"))
        {
            await source.OpenAsync();
            await using var vacuum = source.CreateCommand();
            vacuum.CommandText = $"VACUUM INTO '{copy.Replace("'", "''", StringComparison.Ordinal)}'";
            await vacuum.ExecuteNonQueryAsync();
        }

        var limit = Runner.Env("BENCH_BACKFILL_LEADS", 100_000);
        long checkpoint = 0;
        int done = 0, changed = 0;
        var watch = Stopwatch.StartNew();
        while (done < limit)
        {
            await using var db = SqliteStore.CreateContext($"Data Source={copy}");
            await using var transaction = await db.Database.BeginTransactionAsync();
            var batch = await db.Leads.Include(l => l.Payload).Where(l => l.Id > checkpoint).OrderBy(l => l.Id).Take(500).ToListAsync();
            if (batch.Count == 0)
            {
                break;
            }

            changed += (await LeadFacts.RecomputeAsync(db, batch, CancellationToken.None)).Changed;
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            checkpoint = batch[^1].Id;
            done += batch.Count;
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var rate = done / Math.Max(seconds, 1e-9);
        Console.WriteLine($"Backfill on SQLite: {done:N0} leads ({changed:N0} changed) in {seconds:0.0} s, {rate:N0} leads/s");
        report.Queries.Add(new Dictionary<string, object>
        {
            ["store"] = "SQLite", ["name"] = $"backfill: facts, domain, campaign, quality ({rate:N0} leads/s)", ["p50"] = Math.Round(seconds * 1000),
            ["p95"] = Math.Round(seconds * 1000), ["runs"] = 1, ["rows"] = done, ["total"] = done,
        });
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(copy + suffix);
        }
    }
}
