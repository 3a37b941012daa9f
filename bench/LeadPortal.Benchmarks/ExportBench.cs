using System.Diagnostics;
using System.Text.Json;
using LeadPortal.Data;
using LeadPortal.Data.Sqlite;
using LeadPortal.Export;
using LeadPortal.Leads;
using LeadPortal.Mapping;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Benchmarks;

/// <summary>
/// The export path (ExportService.Select → Rows → CsvExportWriter) through the Dynamics 365 preset to a file, in a
/// process of its own so its peak working set is its own; and, as the ceiling, the same rows built in memory first.
/// </summary>
internal static class ExportBench
{
    /// <param name="database">The SQLite file, or a PostgreSQL connection string ("Host=…").</param>
    public static async Task RunAsync(Report report, string database, string results)
    {
        var store = database.StartsWith("Host=", StringComparison.Ordinal) ? "PostgreSQL" : "SQLite";
        var export = await ChildRunAsync("export", database);
        var ceiling = await ChildRunAsync("export-ceiling", database);
        var ratio = Shell.Round(export.GetProperty("rowsPerSecond").GetDouble() / ceiling.GetProperty("rowsPerSecond").GetDouble());
        Add(report, $"Dynamics 365 preset, streamed from {store}", export, ratio);
        Add(report, $"ceiling: same rows from memory ({store})", ceiling, null);
        Console.WriteLine($"  export {export.GetProperty("rowsPerSecond").GetDouble():N0} rows/s, ceiling {ceiling.GetProperty("rowsPerSecond").GetDouble():N0} rows/s, ratio {ratio}, peak {export.GetProperty("peakMB").GetDouble()} MB");
        _ = results;
    }

    private static void Add(Report report, string name, JsonElement run, double? ratio)
    {
        var row = new Dictionary<string, object>
        {
            ["name"] = name,
            ["rows"] = run.GetProperty("rows").GetInt64(),
            ["seconds"] = run.GetProperty("seconds").GetDouble(),
            ["rowsPerSecond"] = Math.Round(run.GetProperty("rowsPerSecond").GetDouble()),
            ["peakMB"] = run.GetProperty("peakMB").GetDouble(),
        };
        if (ratio is { } r)
        {
            row["ratio"] = r;
        }

        report.Export.Add(row);
    }

    private static async Task<JsonElement> ChildRunAsync(string mode, string database)
    {
        var start = new ProcessStartInfo("dotnet", ["LeadPortal.Benchmarks.dll", mode, database])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').First(l => l.StartsWith("EXPORTJSON ", StringComparison.Ordinal));
        return JsonDocument.Parse(line["EXPORTJSON ".Length..]).RootElement;
    }

    /// <summary>Runs in the child process.</summary>
    public static async Task<int> ChildAsync(string database, bool ceiling)
    {
        var mapping = MappingEngine.Compile(Presets.Get(Presets.Dynamics365Lead)!.Definition).Mapping!;
        var output = Path.Combine(Path.GetTempPath(), $"leadportal-export-{Environment.ProcessId}.csv");
        var request = new ExportRequest(0, new LeadFilter(), TimeZoneInfo.Utc, OnlyNew: false);
        await using LeadPortalDbContext db = database.StartsWith("Host=", StringComparison.Ordinal)
            ? LeadPortal.Data.Postgres.PostgresStore.CreateContext(database)
            : SqliteStore.CreateContext($"Data Source={database}");
        var rows = ExportService.Rows(db, ExportService.Select(db, request, mapping), mapping);

        IAsyncEnumerable<LeadRow> source;
        if (ceiling)
        {
            var inMemory = await rows.ToListAsync();
            source = inMemory.ToAsyncEnumerable();
        }
        else
        {
            source = rows.AsAsyncEnumerable();
        }

        var watch = Stopwatch.StartNew();
        int count;
        await using (var file = File.Create(output))
        {
            count = await CsvExportWriter.WriteAsync(mapping, source, file, CancellationToken.None);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        File.Delete(output);
        Console.WriteLine($"EXPORTJSON {{\"rows\":{count},\"seconds\":{seconds:0.00},\"rowsPerSecond\":{count / seconds:0},\"peakMB\":{self.PeakWorkingSet64 / (1024.0 * 1024):0.0}}}");
        return 0;
    }
}
