using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Intake;

public sealed class IntakeStoreFailureTests
{
    [Fact(Timeout = 120_000)]
    public async Task With_the_spool_off_a_database_locked_by_someone_else_gets_503_with_retry_after_within_seconds_and_health_says_why()
    {
        await using var app = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?> { ["Intake:Spool:Enabled"] = "false" });
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Unique())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var stored = await app.QueryAsync(db => db.Leads.CountAsync());

        // Another process (a backup tool, sqlite3 left open in a transaction) holds the write lock.
        await using (var other = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            await other.OpenAsync();
            await using (var hold = other.CreateCommand())
            {
                hold.CommandText = "BEGIN IMMEDIATE";
                await hold.ExecuteNonQueryAsync();
            }

            var clock = Stopwatch.StartNew();
            var refused = await client.PostLeadAsync(SampleLeads.Unique());
            var waited = clock.Elapsed;
            var health = await client.GetAsync("/healthz");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(waited < TimeSpan.FromSeconds(15), $"answered after {waited}");
            Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
            var problem = await refused.ReadProblemAsync();
            Assert.Equal("Lead not stored", problem.GetProperty("title").GetString());
            Assert.Contains("locked", problem.GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            var checks = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
            Assert.Equal("Unhealthy", checks.GetProperty("store").GetProperty("status").GetString());
            Assert.Contains("locked", checks.GetProperty("store").GetProperty("description").GetString());
            Assert.Equal("Unhealthy", checks.GetProperty("intake").GetProperty("status").GetString());

            // Every lead fails the same way while the lock stays: one line with its stack trace, not one per lead.
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostLeadAsync(SampleLeads.Unique())).StatusCode);
            }

            Assert.Single(app.Logs.Lines, line => line.Contains("intake request(s) failed", StringComparison.Ordinal));

            await using var release = other.CreateCommand();
            release.CommandText = "ROLLBACK";
            await release.ExecuteNonQueryAsync();
        }

        Assert.Equal(stored, await app.QueryAsync(db => db.Leads.CountAsync()));
        Assert.Equal(HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Unique())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        app.Services.GetRequiredService<LeadPortal.Intake.RefusalLog>().Flush(final: true);
        Assert.Equal(DeliveryOutcome.NotStored, await LastOutcomeAsync(app, DeliveryOutcome.NotStored));
    }

    [Fact]
    public async Task Health_reports_a_disk_with_less_room_than_the_configured_minimum()
    {
        await using var app = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?>
        {
            ["Store:MinFreeDiskMegabytes"] = "10000000",
        });

        var health = await app.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var store = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("store");
        Assert.Equal("Unhealthy", store.GetProperty("status").GetString());
        Assert.Contains("MB are free on the database's disk", store.GetProperty("description").GetString());
    }

    private static async Task<DeliveryOutcome> LastOutcomeAsync(LeadPortalFactory app, DeliveryOutcome outcome)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (await app.QueryAsync(db => db.DeliveryLog.AnyAsync(d => d.Outcome == outcome && d.StatusCode == 503)))
            {
                return outcome;
            }

            await Task.Delay(50);
        }

        return default;
    }
}
