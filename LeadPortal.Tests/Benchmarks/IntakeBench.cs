using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace LeadPortal.Benchmarks;

/// <summary>The real endpoint against an empty POST endpoint in the same kind of process, side by side, with wrk.</summary>
internal static class IntakeBench
{
    internal const string Key = "lpk_benchmark-key-0123456789abcdefghijklmnop";

    public static async Task RunAsync(Report report, string results, int seconds)
    {
        var database = Path.Combine(results, "intake.db");
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database + suffix);
        }

        using var app = Start("LeadPortal.dll", "--urls http://127.0.0.1:5391", new()
        {
            ["ConnectionStrings__LeadPortal"] = $"Data Source={database}",
            ["Intake__BootstrapKey"] = Key,
            ["Bootstrap__AdminPassword"] = "Bench-Passw0rd!",
        });
        using var empty = Start("LeadPortal.Benchmarks.dll", "empty-server --urls http://127.0.0.1:5392", []);
        try
        {
            await WaitAsync("http://127.0.0.1:5391/healthz");
            await WaitAsync("http://127.0.0.1:5392/healthz");
            // A short warm-up for both (JIT, connection setup, the first pages of a new database), not measured;
            // its acknowledged leads still count in the stored = acknowledged check.
            await Wrk.RunAsync("http://127.0.0.1:5392/api/leads", 32, 3);
            var warmup = await Wrk.RunAsync($"http://127.0.0.1:5391/api/leads?key={Key}", 32, 3);
            long acknowledged = warmup.GetProperty("created").GetInt64();
            foreach (var connections in new[] { 32, 256 })
            {
                var ceiling = await Wrk.RunAsync("http://127.0.0.1:5392/api/leads", connections, seconds);
                var intake = await Wrk.RunAsync($"http://127.0.0.1:5391/api/leads?key={Key}", connections, seconds);
                acknowledged += intake.GetProperty("created").GetInt64();
                Add(report, "empty endpoint", connections, ceiling, null);
                Add(report, "intake", connections, intake, null);
                var ratio = Rps(intake) / Rps(ceiling);
                report.Intake[^1]["ratio"] = Shell.Round(ratio);
                Console.WriteLine($"  {connections} connections: intake {Rps(intake):N0} req/s, empty {Rps(ceiling):N0} req/s, ratio {ratio:0.00}, intake p99 {intake.GetProperty("p99").GetDouble():0.0} ms");
            }

            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            var stored = await CountAsync(database);
            // wrk stops reading at the deadline: requests still in flight are committed but not counted as acknowledged.
            report.Intake[^1]["stored"] = stored == acknowledged ? $"{stored} = {acknowledged}"
                : stored > acknowledged ? $"{stored} ≥ {acknowledged} (+{stored - acknowledged} in flight at the deadline)" : $"LOST: {stored} < {acknowledged}";
            report.Intake[^3]["stored"] = report.Intake[^1]["stored"];
            Console.WriteLine($"  leads stored {stored:N0}, acknowledged {acknowledged:N0} (process killed, not stopped)");
        }
        finally
        {
            foreach (var process in new[] { app, empty })
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private static double Rps(System.Text.Json.JsonElement run) => run.GetProperty("requests").GetDouble() / run.GetProperty("seconds").GetDouble();

    private static void Add(Report report, string target, int connections, System.Text.Json.JsonElement run, string? stored) => report.Intake.Add(new()
    {
        ["target"] = target,
        ["connections"] = connections,
        ["rps"] = Math.Round(Rps(run)),
        ["p50"] = Shell.Round(run.GetProperty("p50").GetDouble()),
        ["p99"] = Shell.Round(run.GetProperty("p99").GetDouble()),
        ["max"] = Shell.Round(run.GetProperty("max").GetDouble()),
        ["errors"] = run.GetProperty("socketErrors").GetInt64() + run.GetProperty("non201").GetInt64(),
        ["stored"] = stored ?? "—",
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

    private static async Task<long> CountAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
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
