using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace LeadPortal.Benchmarks;

/// <summary>The real endpoint against an empty POST endpoint in the same kind of process, side by side, with wrk.</summary>
internal static class IntakeBench
{
    internal const string Key = "lpk_benchmark-key-0123456789abcdefghijklmnop";

    /// <param name="postgres">A function making a new PostgreSQL database (connection string), or null for SQLite.</param>
    public static async Task RunAsync(Report report, string results, int seconds, Func<string>? postgres = null)
    {
        var store = postgres is null ? "SQLite" : "PostgreSQL";
        string database, ceilingDatabase;
        if (postgres is null)
        {
            database = $"Data Source={Path.Combine(results, "intake.db")}";
            ceilingDatabase = $"Data Source={Path.Combine(results, "durable-ceiling.db")}";
            foreach (var file in new[] { "intake.db", "durable-ceiling.db" })
            {
                foreach (var suffix in new[] { "", "-wal", "-shm" })
                {
                    File.Delete(Path.Combine(results, file + suffix));
                }
            }
        }
        else
        {
            database = postgres();
            ceilingDatabase = postgres();
        }

        Console.WriteLine($"Intake on {store}:");
        using var app = Start("LeadPortal.dll", "--urls http://127.0.0.1:5391", new()
        {
            ["Store__Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["ConnectionStrings__LeadPortal"] = database,
            ["Intake__BootstrapKey"] = Key,
            ["Bootstrap__AdminPassword"] = "Bench-Passw0rd!",
        });
        using var empty = Start("LeadPortal.Benchmarks.dll", "empty-server --urls http://127.0.0.1:5392", []);
        using var durable = Start("LeadPortal.Benchmarks.dll", $"durable-server {(postgres is null ? "Sqlite" : "Postgres")} \"{ceilingDatabase}\" --urls http://127.0.0.1:5393", []);
        try
        {
            await WaitAsync("http://127.0.0.1:5391/healthz");
            await WaitAsync("http://127.0.0.1:5392/healthz");
            await WaitAsync("http://127.0.0.1:5393/healthz");
            // A short warm-up for each (JIT, connection setup, the first pages of a new database), not measured;
            // its acknowledged leads still count in the stored = acknowledged check.
            await Wrk.RunAsync("http://127.0.0.1:5392/api/leads", 32, 3);
            await Wrk.RunAsync("http://127.0.0.1:5393/api/leads", 32, 3);
            var warmup = await Wrk.RunAsync($"http://127.0.0.1:5391/api/leads?key={Key}", 32, 3);
            long acknowledged = warmup.GetProperty("created").GetInt64();
            var first = report.Intake.Count;
            foreach (var connections in new[] { 32, 256 })
            {
                var ceiling = await Wrk.RunAsync("http://127.0.0.1:5392/api/leads", connections, seconds);
                var durableCeiling = await Wrk.RunAsync("http://127.0.0.1:5393/api/leads", connections, seconds);
                var intake = await Wrk.RunAsync($"http://127.0.0.1:5391/api/leads?key={Key}", connections, seconds);
                acknowledged += intake.GetProperty("created").GetInt64();
                Add(report, store, "empty endpoint", connections, ceiling);
                Add(report, store, "durable ceiling (append the body, grouped fsync'd commit)", connections, durableCeiling);
                Add(report, store, "intake", connections, intake);
                var ratio = Rps(intake) / Rps(ceiling);
                var durableRatio = Rps(intake) / Rps(durableCeiling);
                report.Intake[^1]["ratio"] = Shell.Round(ratio);
                report.Intake[^1]["durableRatio"] = Shell.Round(durableRatio);
                report.Intake[^2]["ratio"] = Shell.Round(Rps(durableCeiling) / Rps(ceiling));
                Console.WriteLine($"  {connections} connections: intake {Rps(intake):N0} req/s, durable ceiling {Rps(durableCeiling):N0}, empty {Rps(ceiling):N0}; ratio {ratio:0.00} (÷ durable {durableRatio:0.00}), intake p99 {intake.GetProperty("p99").GetDouble():0.0} ms");
            }

            if (postgres is not null)
            {
                // A second instance on the same database, each taking half the connections (as a round-robin balancer
                // would): the sum of both, and the worse of their latencies.
                using var second = Start("LeadPortal.dll", "--urls http://127.0.0.1:5394", new()
                {
                    ["Store__Provider"] = "Postgres",
                    ["ConnectionStrings__LeadPortal"] = database,
                    ["Intake__BootstrapKey"] = Key,
                    ["Bootstrap__AdminPassword"] = "Bench-Passw0rd!",
                });
                try
                {
                    await WaitAsync("http://127.0.0.1:5394/healthz");
                    acknowledged += (await Wrk.RunAsync($"http://127.0.0.1:5394/api/leads?key={Key}", 32, 3)).GetProperty("created").GetInt64();
                    foreach (var connections in new[] { 32, 256 })
                    {
                        var both = await Task.WhenAll(
                            Wrk.RunAsync($"http://127.0.0.1:5391/api/leads?key={Key}", connections / 2, seconds),
                            Wrk.RunAsync($"http://127.0.0.1:5394/api/leads?key={Key}", connections / 2, seconds));
                        acknowledged += both.Sum(r => r.GetProperty("created").GetInt64());
                        var rps = both.Sum(Rps);
                        report.Intake.Add(new()
                        {
                            ["store"] = store,
                            ["target"] = "intake, two instances (sum; latency of the worse)",
                            ["connections"] = connections,
                            ["rps"] = Math.Round(rps),
                            ["p50"] = Shell.Round(both.Max(r => r.GetProperty("p50").GetDouble())),
                            ["p99"] = Shell.Round(both.Max(r => r.GetProperty("p99").GetDouble())),
                            ["max"] = Shell.Round(both.Max(r => r.GetProperty("max").GetDouble())),
                            ["errors"] = both.Sum(r => r.GetProperty("socketErrors").GetInt64() + r.GetProperty("non201").GetInt64()),
                            ["stored"] = "—",
                        });
                        Console.WriteLine($"  two instances, {connections} connections: {rps:N0} req/s, p99 {both.Max(r => r.GetProperty("p99").GetDouble()):0.0} ms");
                    }
                }
                finally
                {
                    second.Kill(entireProcessTree: true);
                    await second.WaitForExitAsync();
                }
            }

            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            var stored = postgres is null ? await CountSqliteAsync(database) : await CountPostgresAsync(database);
            // wrk stops reading at the deadline: requests still in flight are committed but not counted as acknowledged.
            var verdict = stored == acknowledged ? $"{stored} = {acknowledged}"
                : stored > acknowledged ? $"{stored} ≥ {acknowledged} (+{stored - acknowledged} in flight at the deadline)" : $"LOST: {stored} < {acknowledged}";
            for (var i = first; i < report.Intake.Count; i++)
            {
                if (((string)report.Intake[i]["target"]).StartsWith("intake", StringComparison.Ordinal))
                {
                    report.Intake[i]["stored"] = verdict;
                }
            }

            Console.WriteLine($"  leads stored {stored:N0}, acknowledged {acknowledged:N0} (process killed, not stopped)");
        }
        finally
        {
            foreach (var process in new[] { app, empty, durable })
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private static double Rps(System.Text.Json.JsonElement run) => run.GetProperty("requests").GetDouble() / run.GetProperty("seconds").GetDouble();

    private static void Add(Report report, string store, string target, int connections, System.Text.Json.JsonElement run) => report.Intake.Add(new()
    {
        ["store"] = store,
        ["target"] = target,
        ["connections"] = connections,
        ["rps"] = Math.Round(Rps(run)),
        ["p50"] = Shell.Round(run.GetProperty("p50").GetDouble()),
        ["p99"] = Shell.Round(run.GetProperty("p99").GetDouble()),
        ["max"] = Shell.Round(run.GetProperty("max").GetDouble()),
        ["errors"] = run.GetProperty("socketErrors").GetInt64() + run.GetProperty("non201").GetInt64(),
        ["stored"] = "—",
    });

    internal static Process Start(string dll, string arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", $"{dll} {arguments}")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static async Task WaitAsync(string url)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"{url} did not come up.");
    }

    private static async Task<long> CountPostgresAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM \"Leads\"";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountSqliteAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString + ";Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Leads";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>The framework's ceiling: a POST endpoint that reads the body and answers 201, nothing else.</summary>
internal static class EmptyServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.MapPost("/api/leads", async (HttpContext context) =>
        {
            var buffer = new byte[8192];
            while (await context.Request.Body.ReadAsync(buffer) > 0)
            {
            }

            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"id\":\"1\",\"duplicate\":false}");
        });
        await app.RunAsync();
        return 0;
    }
}

/// <summary>
/// What durability itself costs on this disk: a POST endpoint that appends the raw body with the intake writer's
/// grouped commit (every request waiting at that moment in one transaction, the 201 only after it is on disk) and does
/// nothing else: no parsing, no keys, no duplicate check, no delivery log. Same store settings as the app.
/// </summary>
internal static class DurableServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var provider = Enum.Parse<LeadPortal.Data.StoreProvider>(args[0], ignoreCase: true);
        var connectionString = args[1];
        var builder = WebApplication.CreateSlimBuilder(args[2..]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var dialect = provider == LeadPortal.Data.StoreProvider.Postgres
            ? (LeadPortal.Data.StoreDialect)LeadPortal.Data.Postgres.PostgresDialect.Instance
            : LeadPortal.Data.Sqlite.SqliteDialect.Instance;
        await using (var setup = await dialect.OpenConnectionAsync(connectionString, TimeSpan.FromSeconds(30)))
        {
            await using var create = setup.CreateCommand();
            create.CommandText = provider == LeadPortal.Data.StoreProvider.Postgres
                ? "CREATE TABLE IF NOT EXISTS \"Bodies\" (\"Id\" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \"Body\" text NOT NULL)"
                : "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS \"Bodies\" (\"Id\" INTEGER PRIMARY KEY, \"Body\" TEXT NOT NULL)";
            await create.ExecuteNonQueryAsync();
        }

        var queue = System.Threading.Channels.Channel.CreateUnbounded<(string Body, TaskCompletionSource<long> Done)>();
        var writer = Task.Run(async () =>
        {
            await using var connection = await dialect.OpenConnectionAsync(connectionString, dialect.WriterLockWait);
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO \"Bodies\" (\"Body\") VALUES (@Body) RETURNING \"Id\"";
            var body = insert.CreateParameter();
            body.ParameterName = "@Body";
            insert.Parameters.Add(body);
            var batch = new List<(string Body, TaskCompletionSource<long> Done)>();
            while (await queue.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < 500 && queue.Reader.TryRead(out var work))
                {
                    batch.Add(work);
                }

                var ids = new long[batch.Count];
                await using (var transaction = await connection.BeginTransactionAsync())
                {
                    insert.Transaction = transaction;
                    for (var i = 0; i < batch.Count; i++)
                    {
                        body.Value = batch[i].Body;
                        ids[i] = Convert.ToInt64(await insert.ExecuteScalarAsync());
                    }

                    await transaction.CommitAsync();
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(ids[i]);
                }
            }
        });

        app.MapGet("/healthz", () => "ok");
        app.MapPost("/api/leads", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            await queue.Writer.WriteAsync((await reader.ReadToEndAsync(), done));
            var id = await done.Task;
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($"{{\"id\":\"{id}\",\"duplicate\":false}}");
        });
        await app.RunAsync();
        queue.Writer.Complete();
        await writer;
        return 0;
    }
}
