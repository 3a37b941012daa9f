using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;

namespace LeadPortal.Benchmarks;

/// <summary>
/// Issue 10's proof: valid leads posted at a steady 100 a second, alone and while wrk floods the endpoint with 4 KB
/// wrong-key posts (with the refusal limits off, the costliest case, and at their defaults), and while the delivery-log
/// purge deletes 400,000 expired rows. Reports the valid leads' latency, the flood's answers and what the store grew.
/// </summary>
internal static class FloodBench
{
    private const int FloodConnections = 32;
    private const int PurgeRows = 400_000;

    public static async Task RunAsync(Report report, string results, int seconds)
    {
        await FloodAsync(report, results, seconds, "limits off: every flood call 401", 5393, new()
        {
            ["Intake__RefusalsPerClientPerMinute"] = "1000000",
            ["Intake__RefusalsPerMinute"] = "10000000",
        });
        await FloodAsync(report, results, seconds, "default limits: 429 after 30", 5394, []);
        await PurgeAsync(report, results, seconds, 5395);
    }

    private static async Task FloodAsync(Report report, string results, int seconds, string label, int port, Dictionary<string, string> settings)
    {
        var database = Fresh(Path.Combine(results, $"flood-{port}.db"));
        var baseUrl = $"http://127.0.0.1:{port}";
        using var app = StartApp(database, port, settings);
        try
        {
            await IntakeBench.WaitAsync(baseUrl + "/healthz");
            await PacedAsync(baseUrl, 2); // warm-up, not measured

            var (alone, aloneGrowth, aloneRows) = await MeasureAsync(database, () => PacedAsync(baseUrl, seconds));
            Add(report, "nothing else (baseline)", null, alone, aloneGrowth, aloneRows);

            JsonFlood? flood = null;
            var (during, growth, rows) = await MeasureAsync(database, async () =>
            {
                var floodRun = Wrk.RunAsync($"{baseUrl}/api/leads?key=lpk_wrong-key-for-the-flood", FloodConnections, seconds, "flood.lua");
                var valid = await PacedAsync(baseUrl, seconds);
                flood = new JsonFlood(await floodRun);
                return valid;
            });
            Add(report, $"wrong-key flood, {FloodConnections} conns, 4 KB bodies ({label})", flood, during, growth, rows);
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    private static async Task PurgeAsync(Report report, string results, int seconds, int port)
    {
        var database = Fresh(Path.Combine(results, $"purge-{port}.db"));
        var baseUrl = $"http://127.0.0.1:{port}";
        // A first start creates the store; the expired rows are added while the app is down, so its start-up purge has them.
        using (var first = StartApp(database, port, []))
        {
            await IntakeBench.WaitAsync(baseUrl + "/healthz");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {PurgeRows})
                INSERT INTO DeliveryLog (ReceivedAt, Outcome, StatusCode, Reason, ClientIp, BodySize, Count)
                SELECT strftime('%Y-%m-%d %H:%M:%f', 'now', '-40 days', '+' || i || ' seconds'), 3, 401,
                       'A valid intake key is required in the endpoint URL.', '203.0.113.7', 4000, 1 FROM n
                """;
            await command.ExecuteNonQueryAsync();
        }

        using var app = StartApp(database, port, []);
        try
        {
            await IntakeBench.WaitAsync(baseUrl + "/healthz");
            var purged = WaitForPurgeAsync(database, TimeSpan.FromSeconds(seconds * 6));
            var valid = await PacedAsync(baseUrl, seconds);
            var took = await purged;
            Add(report, $"the delivery-log purge deleting {PurgeRows:N0} expired rows (done in {took.TotalSeconds:0.0} s)", null, valid, null, null);
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    private static async Task<TimeSpan> WaitForPurgeAsync(string database, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM DeliveryLog WHERE ReceivedAt < strftime('%Y-%m-%d %H:%M:%f', 'now', '-31 days')";
            if ((long)(await command.ExecuteScalarAsync())! == 0)
            {
                return clock.Elapsed;
            }

            await Task.Delay(200);
        }

        return clock.Elapsed;
    }

    /// <summary>Runs the work and returns its result with the store's growth (db + wal) and the delivery-log rows added for refusals.</summary>
    private static async Task<(T Result, long Growth, long Rows)> MeasureAsync<T>(string database, Func<Task<T>> work)
    {
        var bytes = StoreBytes(database);
        var rows = await RefusalRowsAsync(database);
        var result = await work();
        await Task.Delay(2000); // the writer's last sampled rows
        return (result, StoreBytes(database) - bytes, await RefusalRowsAsync(database) - rows);
    }

    private static async Task<long> RefusalRowsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM DeliveryLog WHERE Outcome NOT IN (0, 1)";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed record Paced(List<double> Milliseconds, int Failed);

    /// <summary>A distinct valid lead every 10 ms (100 a second), each sent on schedule without waiting for earlier answers.</summary>
    private static async Task<Paced> PacedAsync(string baseUrl, int seconds)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var latencies = new List<double>();
        var failed = 0;
        var run = Guid.NewGuid().ToString("N");
        var end = Stopwatch.StartNew();
        var posts = new List<Task>();
        for (var i = 0; end.Elapsed < TimeSpan.FromSeconds(seconds); i++)
        {
            var n = i;
            posts.Add(Task.Run(async () =>
            {
                var body = $$"""{"UserDetails":{"FirstName":"Paced","LastName":"Lead {{n}}","Email":"paced.{{run}}.{{n}}@example.com","Country":"SE","Company":"Bench AB"},"LeadSource":"AzureMarketplace-INS|bench.offer"}""";
                var clock = Stopwatch.StartNew();
                try
                {
                    using var response = await http.PostAsync($"/api/leads?key={IntakeBench.Key}", new StringContent(body, Encoding.UTF8, "application/json"));
                    lock (latencies)
                    {
                        latencies.Add(clock.Elapsed.TotalMilliseconds);
                        failed += response.StatusCode == System.Net.HttpStatusCode.Created ? 0 : 1;
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }));
            var next = TimeSpan.FromMilliseconds(10 * (i + 1));
            if (next > end.Elapsed)
            {
                await Task.Delay(next - end.Elapsed);
            }
        }

        await Task.WhenAll(posts);
        return new Paced(latencies, failed);
    }

    private sealed class JsonFlood(System.Text.Json.JsonElement run)
    {
        public double Rps => run.GetProperty("requests").GetDouble() / run.GetProperty("seconds").GetDouble();

        public string Answers =>
            $"{run.GetProperty("unauthorized").GetInt64():N0} × 401, {run.GetProperty("throttled").GetInt64():N0} × 429, " +
            $"{run.GetProperty("other").GetInt64() + run.GetProperty("socketErrors").GetInt64():N0} other";
    }

    private static void Add(Report report, string scenario, JsonFlood? flood, Paced valid, long? growth, long? rows)
    {
        var sorted = valid.Milliseconds.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        report.Flood.Add(new()
        {
            ["scenario"] = scenario,
            ["floodRps"] = flood is null ? "—" : $"{flood.Rps:N0}",
            ["floodAnswers"] = flood?.Answers ?? "—",
            ["p50"] = Shell.Round(At(0.50)),
            ["p99"] = Shell.Round(At(0.99)),
            ["max"] = Shell.Round(sorted.LastOrDefault()),
            ["failed"] = valid.Failed,
            ["growth"] = growth is { } g ? $"{g / 1024.0 / 1024.0:0.0} MB" : "—",
            ["logRows"] = rows?.ToString("N0") ?? "—",
        });
        Console.WriteLine($"  {scenario}: valid p50 {At(0.5):0.00} ms, p99 {At(0.99):0.00} ms, max {sorted.LastOrDefault():0.0} ms, {valid.Failed} not 201" +
            (flood is null ? "" : $"; flood {flood.Rps:N0} req/s ({flood.Answers})") + (growth is { } b ? $"; store +{b / 1024.0 / 1024.0:0.0} MB, {rows} refusal rows" : ""));
    }

    private static string Fresh(string database)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database + suffix);
        }

        return database;
    }

    private static long StoreBytes(string database) =>
        new[] { "", "-wal", "-shm" }.Select(s => new FileInfo(database + s)).Where(f => f.Exists).Sum(f => f.Length);

    private static Process StartApp(string database, int port, Dictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>(settings)
        {
            ["ConnectionStrings__LeadPortal"] = $"Data Source={database}",
            ["Intake__BootstrapKey"] = IntakeBench.Key,
            ["Bootstrap__AdminPassword"] = "Bench-Passw0rd!",
        };
        return IntakeBench.Start("LeadPortal.dll", $"--urls http://127.0.0.1:{port}", environment);
    }
}
