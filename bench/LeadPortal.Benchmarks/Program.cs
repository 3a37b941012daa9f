using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadPortal.Benchmarks;

// LeadPortal's benchmark (issue 6). Modes: run (default, orchestrates everything), empty-server, export, export-ceiling.
var mode = args.FirstOrDefault() ?? "run";
return mode switch
{
    "empty-server" => await EmptyServer.RunAsync(args[1..]),
    "durable-server" => await DurableServer.RunAsync(args[1..]),
    "export" => await ExportBench.ChildAsync(args[1], ceiling: false),
    "export-ceiling" => await ExportBench.ChildAsync(args[1], ceiling: true),
    _ => await Runner.RunAsync(args),
};

namespace LeadPortal.Benchmarks
{
    internal static class Runner
    {
        public static async Task<int> RunAsync(string[] args)
        {
            var root = Environment.CurrentDirectory;
            var results = Path.Combine(root, "bench-results");
            Directory.CreateDirectory(results);
            var seconds = Env("BENCH_SECONDS", 10);
            var leads = Env("BENCH_LEADS", 1_000_000);
            var report = new Report();
            report.Machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
            report.At = DateTime.UtcNow;
            report.Leads = leads;

            Console.WriteLine($"LeadPortal benchmark on {report.Machine}");
            Console.WriteLine($"Load generator: wrk ({await Shell.OutputAsync("wrk", "--version")})".Split('\n')[0]);

            // BENCH_ONLY=intake,flood,queries,privacy,backfill,export runs a part (default: all).
            var only = (Environment.GetEnvironmentVariable("BENCH_ONLY") ?? "intake,flood,queries,privacy,backfill,export").Split(',');
            // BENCH_STORE=sqlite (default), postgres or both.
            var stores = (Environment.GetEnvironmentVariable("BENCH_STORE") ?? "sqlite").ToLowerInvariant();
            if (only.Contains("intake"))
            {
                if (stores is "sqlite" or "both")
                {
                    await IntakeBench.RunAsync(report, results, seconds);
                }

                if (stores is "postgres" or "both")
                {
                    LeadPortal.Tests.Infrastructure.PostgresServer.Durable = true;
                    await IntakeBench.RunAsync(report, results, seconds, () => LeadPortal.Tests.Infrastructure.PostgresServer.Instance.NewDatabase());
                }
            }

            if (only.Contains("flood"))
            {
                await FloodBench.RunAsync(report, results, seconds);
            }

            if (only.Contains("queries") || only.Contains("export") || only.Contains("privacy") || only.Contains("backfill"))
            {
                var database = await Seeder.EnsureAsync(Path.Combine(results, $"leads-{leads}.db"), leads);
                var postgres = stores is "postgres" or "both" ? await PostgresBench.EnsureAsync(database, leads) : null;
                if (only.Contains("queries"))
                {
                    if (stores is "sqlite" or "both")
                    {
                        await QueryBench.RunSqliteAsync(report, database);
                    }

                    if (postgres is not null)
                    {
                        await QueryBench.RunPostgresAsync(report, postgres);
                    }
                }

                if (only.Contains("privacy"))
                {
                    await PrivacyBench.RunAsync(report, database, results);
                }

                if (only.Contains("backfill"))
                {
                    await BackfillBench.RunAsync(report, database, results);
                }

                if (only.Contains("export"))
                {
                    if (stores is "sqlite" or "both")
                    {
                        await ExportBench.RunAsync(report, database, results);
                    }

                    if (postgres is not null)
                    {
                        await ExportBench.RunAsync(report, postgres, results);
                    }
                }
            }

            report.Print();
            await File.WriteAllTextAsync(Path.Combine(results, "latest.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"Written to {Path.Combine(results, "latest.json")}");
            return 0;
        }

        public static int Env(string name, int fallback) =>
            int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;
    }

    internal sealed class Report
    {
        public string Machine { get; set; } = "";
        public int Leads { get; set; }
        public DateTime At { get; set; }
        public List<Dictionary<string, object>> Intake { get; } = [];
        public List<Dictionary<string, object>> Queries { get; } = [];
        public List<Dictionary<string, object>> Export { get; } = [];
        public List<Dictionary<string, object>> Flood { get; } = [];

        public void Print()
        {
            // Only the parts that ran (BENCH_ONLY).
            if (Intake.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine("| Intake | store | conns | req/s | ÷ empty | ÷ durable ceiling | p50 ms | p99 ms | max ms | errors | stored = acked |");
                Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
                foreach (var r in Intake)
                {
                    Console.WriteLine($"| {r["target"]} | {r["store"]} | {r["connections"]} | {r["rps"]:N0} | {r.GetValueOrDefault("ratio", "—")} | {r.GetValueOrDefault("durableRatio", "—")} | {r["p50"]} | {r["p99"]} | {r["max"]} | {r["errors"]} | {r["stored"]} |");
                }
            }

            if (Flood.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine("| Valid leads (100/s) while | flood req/s | flood answers | valid p50 ms | valid p99 ms | valid max ms | valid not 201 | store growth | log rows added |");
                Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
                foreach (var r in Flood)
                {
                    Console.WriteLine($"| {r["scenario"]} | {r["floodRps"]} | {r["floodAnswers"]} | {r["p50"]} | {r["p99"]} | {r["max"]} | {r["failed"]} | {r["growth"]} | {r["logRows"]} |");
                }
            }

            if (Queries.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine($"| Query at {Leads:N0} leads | store | runs | p50 ms | p95 ms | rows | total |");
                Console.WriteLine("|---|---|---|---|---|---|---|");
                foreach (var r in Queries)
                {
                    Console.WriteLine($"| {r["name"]} | {r["store"]} | {r["runs"]} | {r["p50"]} | {r["p95"]} | {r["rows"]} | {r["total"]} |");
                }
            }

            if (Export.Count > 0)
            {
                Console.WriteLine();
                Console.WriteLine("| Export | rows | seconds | rows/s | ÷ ceiling | peak working set MB |");
                Console.WriteLine("|---|---|---|---|---|---|");
                foreach (var r in Export)
                {
                    Console.WriteLine($"| {r["name"]} | {r["rows"]:N0} | {r["seconds"]} | {r["rowsPerSecond"]:N0} | {r.GetValueOrDefault("ratio", "—")} | {r["peakMB"]} |");
                }
            }
        }
    }

    internal static class Shell
    {
        public static async Task<string> OutputAsync(string file, string arguments)
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output.Trim();
        }

        public static double Round(double value) => Math.Round(value, 2);

        public static (double P50, double P95) Percentiles(List<double> samples)
        {
            var sorted = samples.Order().ToArray();
            double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
            return (Round(At(0.50)), Round(At(0.95)));
        }
    }

    internal static partial class Wrk
    {
        public static async Task<JsonElement> RunAsync(string url, int connections, int seconds, string scriptName = "intake.lua")
        {
            var script = Path.Combine(AppContext.BaseDirectory, scriptName);
            var output = await Shell.OutputAsync("wrk", $"-t2 -c{connections} -d{seconds}s --timeout 10s -s {script} {url} -- {Guid.NewGuid():N}");
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("WRKJSON ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk gave no summary:\n{output}");
            return JsonDocument.Parse(line["WRKJSON ".Length..]).RootElement;
        }
    }
}
