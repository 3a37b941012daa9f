using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LeadPortal.Data.Sqlite;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace LeadPortal.Tests.Store;

/// <summary>backup and restore of a SQLite store, run as the commands they are, while the app takes leads.</summary>
[Collection(HeavyTests.Name)]
public sealed class BackupTests : IDisposable
{
    private readonly string _folder = TestTemp.NewPath("backup-");

    public BackupTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<(int Code, string Output, string Error)> RunCommandAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", ["LeadPortal.dll", .. args])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_backup_taken_during_intake_restores_to_a_checked_store_with_every_lead_acknowledged_before_it_began()
    {
        var live = Path.Combine(_folder, "live.db");
        var backup = Path.Combine(_folder, "backups", "leads.db");
        var acknowledged = new ConcurrentDictionary<long, DateTime>();
        DateTime began;
        await using (var app = await AppProcess.StartAsync(live))
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Address) };
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var response = await http.PostLeadAsync(SampleLeads.Unique());
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    acknowledged[long.Parse((await response.ReadReceiptAsync()).Id)] = DateTime.UtcNow;
                }
            })).ToList();
            await Task.Delay(1_000);

            began = DateTime.UtcNow;
            var (code, output, error) = await RunCommandAsync("backup", "--from", $"Data Source={live}", "--to", backup);
            await Task.Delay(500);
            await stop.CancelAsync();
            await Task.WhenAll(load);

            Assert.True(code == 0, error + output);
            Assert.Contains("integrity check ok", output);
            Assert.True(acknowledged.Count(a => a.Value > began) > 0, "No lead was taken while the backup ran.");

            // A restore onto the store the app runs on is refused.
            (code, _, error) = await RunCommandAsync("restore", "--from", backup, "--to", $"Data Source={live}");
            Assert.Equal(1, code);
            Assert.Contains("running on", error);
        }

        var restored = Path.Combine(_folder, "restored.db");
        var (restoreCode, restoreOutput, restoreError) = await RunCommandAsync("restore", "--from", backup, "--to", $"Data Source={restored}");
        Assert.True(restoreCode == 0, restoreError + restoreOutput);
        Assert.Equal(0, await SqliteBackup.CheckAsync(restored) - (await TempDatabase.LeadIdsAsync(restored)).Count);
        var ids = await TempDatabase.LeadIdsAsync(restored);
        var before = acknowledged.Where(a => a.Value < began).Select(a => a.Key).ToList();
        Assert.NotEmpty(before);
        Assert.Subset(ids, before.ToHashSet());

        // The restored store runs.
        await using var again = await AppProcess.StartAsync(restored);
        using var client = new HttpClient { BaseAddress = new Uri(again.Address) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Unique())).StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task Restoring_over_a_stopped_store_keeps_the_old_one_beside_it_and_a_bad_backup_is_refused()
    {
        var live = Path.Combine(_folder, "live.db");
        var backup = Path.Combine(_folder, "leads.db");
        await using (var app = await AppProcess.StartAsync(live))
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Address) };
            Assert.Equal(HttpStatusCode.Created, (await http.PostLeadAsync(SampleLeads.Unique())).StatusCode);
            Assert.Equal(0, (await RunCommandAsync("backup", "--from", $"Data Source={live}", "--to", backup)).Code);
            Assert.Equal(HttpStatusCode.Created, (await http.PostLeadAsync(SampleLeads.Unique())).StatusCode);
        }

        var (code, output, error) = await RunCommandAsync("restore", "--from", backup, "--to", $"Data Source={live}");
        Assert.True(code == 0, error + output);
        Assert.Single(await TempDatabase.LeadIdsAsync(live));
        var kept = Assert.Single(Directory.GetFiles(_folder, "live.db.before-restore-*"), f => !f.EndsWith("-wal") && !f.EndsWith("-shm"));
        Assert.Equal(2, (await TempDatabase.LeadIdsAsync(kept)).Count);

        var garbage = Path.Combine(_folder, "garbage.db");
        await File.WriteAllTextAsync(garbage, "not a database at all");
        (code, _, error) = await RunCommandAsync("restore", "--from", garbage, "--to", $"Data Source={live}");
        Assert.Equal(1, code);
        Assert.Single(await TempDatabase.LeadIdsAsync(live)); // untouched
        (code, _, error) = await RunCommandAsync("backup", "--from", $"Data Source={live}", "--to", backup);
        Assert.Equal(1, code);
        Assert.Contains("exists already", error);
    }
}
