using System.Diagnostics;
using System.Security.Claims;
using LeadPortal.Audit;
using LeadPortal.Background;
using LeadPortal.Data;
using LeadPortal.Data.Sqlite;
using LeadPortal.Privacy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadPortal.Benchmarks;

/// <summary>
/// One person with thousands of leads in the seeded store (issue 22: the preview took 138 s for 5,345 leads): the
/// Personal data page's preview, timed over several runs, and the whole erasure once, on a copy of the seeded file.
/// </summary>
internal static class PrivacyBench
{
    private const string Address = "bench.person@contoso.example";

    private sealed class Factory(string connectionString) : IDbContextFactory<LeadPortalDbContext>
    {
        public LeadPortalDbContext CreateDbContext() => SqliteStore.CreateContext(connectionString);
    }

    public static async Task RunAsync(Report report, string seeded, string results)
    {
        var copy = Path.Combine(results, "privacy-bench.db");
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

        var factory = new Factory($"Data Source={copy}");
        var every = Runner.Env("BENCH_PERSON_EVERY", 187);   // 1,000,000 / 187 ≈ 5,347 leads for one person
        int leads;
        await using (var db = factory.CreateDbContext())
        {
            // The app's own start-up on the copy (the search index's settings), then the person: every Nth lead is theirs,
            // with a note each, as a sales team would leave.
            await db.Dialect.PrepareDatabaseAsync(db);
            leads = await db.Database.ExecuteSqlAsync(
                $"UPDATE Leads SET Email = {Address}, EmailNormalized = {Address}, FirstName = 'Bench', LastName = 'Person' WHERE Id % {every} = 0");
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO LeadActivities (LeadId, At, Kind, Text) SELECT Id, ReceivedAt, 0, 'Called Bench Person back' FROM Leads WHERE Id % {every} = 0");
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO LeadActivities (LeadId, At, Kind, Text) SELECT Id, ReceivedAt, 0, 'Nothing about anyone' FROM Leads WHERE Id % {every * 3 + 1} = 0");
        }

        var time = TimeProvider.System;
        var options = Microsoft.Extensions.Options.Options.Create(new JobOptions());
        var job = new ErasureJob(factory, new EphemeralDataProtectionProvider(), new InstanceIdentity(), options, time, NullLogger<ErasureJob>.Instance);
        var people = new PersonalData(factory, job, new AuditLog(factory, time), time);
        Console.WriteLine($"Personal data on SQLite, one person with {leads:N0} leads:");

        var samples = new List<double>();
        ErasePreview? preview = null;
        for (var i = 0; i < Runner.Env("BENCH_RUNS", 20) + 2; i++)
        {
            var watch = Stopwatch.StartNew();
            preview = await people.PreviewAsync(Address);
            if (i >= 2)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        samples.Sort();
        var p50 = samples[samples.Count / 2];
        var p95 = samples[(int)(samples.Count * 0.95)];
        Console.WriteLine($"  preview: {preview!.LeadCount:N0} leads, {preview.Notes:N0} notes; p50 {p50:0.0} ms, p95 {p95:0.0} ms");

        var erasing = Stopwatch.StartNew();
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "bench"), new Claim(ClaimTypes.Name, "bench")], "bench"));
        var result = await people.EraseAsync(admin, Address);
        var seconds = erasing.Elapsed.TotalSeconds;
        Console.WriteLine($"  erase: {result.Summary} in {seconds:0.0} s");
        report.Queries.Add(new Dictionary<string, object>
        {
            ["store"] = "SQLite", ["name"] = $"privacy preview ({leads:N0} leads of one person)", ["p50"] = Math.Round(p50, 1), ["p95"] = Math.Round(p95, 1),
            ["runs"] = samples.Count, ["rows"] = preview.Leads.Count, ["total"] = preview.LeadCount,
        });
        report.Queries.Add(new Dictionary<string, object>
        {
            ["store"] = "SQLite", ["name"] = $"privacy erase ({leads:N0} leads, every table read once)", ["p50"] = Math.Round(seconds * 1000), ["p95"] = Math.Round(seconds * 1000),
            ["runs"] = 1, ["rows"] = result.Leads, ["total"] = result.Leads,
        });
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(copy + suffix);
        }
    }
}
