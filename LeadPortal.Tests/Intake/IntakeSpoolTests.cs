using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadPortal.Tests.Intake;

/// <summary>
/// While the store cannot take leads, they are kept in the instance's local spool (fsync'd, answered 202) and stored
/// when it returns: a SQLite file locked by someone else, a PostgreSQL server cut off, and an app killed in between.
/// </summary>
[Collection(HeavyTests.Name)]
public sealed class IntakeSpoolTests
{
    internal static async Task WaitForAsync(Func<Task<bool>> done, TimeSpan within, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(watch.Elapsed < within, $"{what} did not happen within {within.TotalSeconds} s.");
            await Task.Delay(100);
        }
    }

    internal static async Task<JsonElement> IntakeCheckAsync(HttpClient client) =>
        JsonDocument.Parse(await (await client.GetAsync("/healthz")).Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("intake");

    [Fact(Timeout = 120_000)]
    public async Task A_lead_that_meets_a_locked_SQLite_file_is_kept_answered_202_and_stored_when_the_lock_goes()
    {
        await using var app = new LeadPortalFactory();
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Unique())).StatusCode);
        var body = SampleLeads.Unique();

        await using (var other = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            await other.OpenAsync();
            await using (var hold = other.CreateCommand())
            {
                hold.CommandText = "BEGIN IMMEDIATE";
                await hold.ExecuteNonQueryAsync();
            }

            var kept = await client.PostLeadAsync(body);
            Assert.Equal(HttpStatusCode.Accepted, kept.StatusCode);
            var receipt = JsonDocument.Parse(await kept.Content.ReadAsStringAsync()).RootElement;
            Assert.True(receipt.GetProperty("spooled").GetBoolean());
            Assert.Contains("locked", receipt.GetProperty("detail").GetString());
            var check = await IntakeCheckAsync(client);
            Assert.Equal("Degraded", check.GetProperty("status").GetString());
            Assert.Contains("1 lead(s) are kept in the local spool", check.GetProperty("description").GetString());
            // The instance still takes every lead: a load balancer must not take it away (200, Degraded), though the store check fails.
            var health = await client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            var store = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("store");
            Assert.Equal("Degraded", store.GetProperty("status").GetString());
            Assert.Contains("local spool", store.GetProperty("description").GetString());

            await using var release = other.CreateCommand();
            release.CommandText = "ROLLBACK";
            await release.ExecuteNonQueryAsync();
        }

        await WaitForAsync(async () => await app.QueryAsync(db => db.LeadPayloads.AnyAsync(p => p.Body == body)), TimeSpan.FromSeconds(15), "Storing the spooled lead");
        await WaitForAsync(async () => (await IntakeCheckAsync(client)).GetProperty("status").GetString() == "Healthy", TimeSpan.FromSeconds(10), "Intake turning healthy");
        var delivery = await app.QueryAsync(db => db.DeliveryLog.Where(d => d.Reason != null && d.Reason.Contains("local spool")).SingleAsync());
        Assert.Equal(DeliveryOutcome.Created, delivery.Outcome);
        // Posted again by its sender: the same lead.
        Assert.Equal(HttpStatusCode.OK, (await client.PostLeadAsync(body)).StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_spool_left_by_an_instance_that_died_is_stored_by_the_next_one_and_a_torn_last_line_is_skipped()
    {
        var path = TempDatabase.NewPath();
        var spool = TestTemp.NewPath("spool-");
        try
        {
            // A first start makes the database (and the spool's folder for it).
            await using (var first = new LeadPortalFactory(path, new Dictionary<string, string?> { ["Intake:Spool:Path"] = spool }))
            {
                first.CreateClient();
            }

            var folder = Directory.GetDirectories(spool).Single();
            var body = SampleLeads.Unique();
            var line = JsonSerializer.Serialize(new SpooledLead(DateTime.UtcNow.AddMinutes(-5), null, "203.0.113.9", body), new JsonSerializerOptions(JsonSerializerDefaults.Web));
            await File.WriteAllTextAsync(Path.Combine(folder, "gone-host_4242_abcdef.spool"), line + "\n" + line[..(line.Length / 2)]);

            await using var app = new LeadPortalFactory(path, new Dictionary<string, string?> { ["Intake:Spool:Path"] = spool });
            app.CreateClient();
            await WaitForAsync(async () => await app.QueryAsync(db => db.LeadPayloads.AnyAsync(p => p.Body == body)), TimeSpan.FromSeconds(15), "Storing the orphaned spool");
            Assert.Equal(1, await app.QueryAsync(db => db.LeadPayloads.CountAsync(p => p.Body == body)));
            // Received when it was spooled, not when it was stored.
            Assert.True(await app.QueryAsync(db => db.Leads.Where(l => l.Payload!.Body == body).Select(l => l.ReceivedAt).SingleAsync()) < DateTime.UtcNow.AddMinutes(-4));
            Assert.Empty(Directory.GetFiles(folder, "*.spool*"));
        }
        finally
        {
            Directory.Delete(spool, recursive: true);
        }
    }
}

/// <summary>The spool on PostgreSQL: the server cut off (a failover, a network cut) and the app killed in between.</summary>
[PostgresStore]
[Collection(HeavyTests.Name)]
public sealed class IntakeSpoolPostgresTests
{
    [StoreFact(Timeout = 180_000)]
    public async Task Leads_posted_while_PostgreSQL_is_cut_off_are_kept_and_stored_once_when_it_returns_even_after_a_kill()
    {
        var database = PostgresServer.Instance.NewDatabase();
        await using var proxy = TcpProxy.To(PostgresServer.Instance.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(database) { Port = proxy.Port, Timeout = 3 }.ToString();
        var spool = TestTemp.NewPath("spool-");
        var settings = new Dictionary<string, string> { ["Intake__Spool__Path"] = spool };
        var bodies = Enumerable.Range(0, 20).Select(_ => SampleLeads.Unique()).ToList();
        try
        {
            var app = await AppProcess.StartAsync(StoreProvider.Postgres, viaProxy, settings);
            using (var http = new HttpClient { BaseAddress = new Uri(app.Address) })
            {
                Assert.Equal(HttpStatusCode.Created, (await http.PostLeadAsync(SampleLeads.Unique())).StatusCode);
                proxy.Cut();
                foreach (var body in bodies.Take(10))
                {
                    var answer = await http.PostLeadAsync(body);
                    Assert.True(answer.StatusCode == HttpStatusCode.Accepted, $"{answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
                }

                var check = await IntakeSpoolTests.IntakeCheckAsync(http);
                Assert.Equal("Degraded", check.GetProperty("status").GetString());
                Assert.Contains("10 lead(s) are kept in the local spool", check.GetProperty("description").GetString());
            }

            // Killed while the leads wait, and started again while the store is still away: they wait on.
            await app.KillAsync();
            await app.DisposeAsync();
            app = await AppProcess.StartAsync(StoreProvider.Postgres, viaProxy, settings).WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
            Assert.Null(app); // it cannot migrate an unreachable store: it does not start (the spool waits on disk)

            proxy.Restore();
            app = await AppProcess.StartAsync(StoreProvider.Postgres, viaProxy, settings);
            await using (app)
            {
                using var http = new HttpClient { BaseAddress = new Uri(app.Address) };
                // Ten more while it runs, cut again for the last five: kept, then stored with the rest.
                foreach (var body in bodies.Skip(10).Take(5))
                {
                    Assert.Equal(HttpStatusCode.Created, (await http.PostLeadAsync(body)).StatusCode);
                }

                proxy.Cut();
                foreach (var body in bodies.Skip(15))
                {
                    Assert.Equal(HttpStatusCode.Accepted, (await http.PostLeadAsync(body)).StatusCode);
                }

                proxy.Restore();
                await IntakeSpoolTests.WaitForAsync(async () => (await StoredAsync(database, bodies)) == bodies.Count, TimeSpan.FromSeconds(30), "Storing every spooled lead");
                await IntakeSpoolTests.WaitForAsync(async () => (await IntakeSpoolTests.IntakeCheckAsync(http)).GetProperty("status").GetString() == "Healthy", TimeSpan.FromSeconds(10), "Intake turning healthy");
            }

            Assert.Equal(bodies.Count, await StoredAsync(database, bodies));
            Assert.Empty(Directory.GetFiles(spool, "*.spool*", SearchOption.AllDirectories));
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(database);
            if (Directory.Exists(spool))
            {
                Directory.Delete(spool, recursive: true);
            }
        }
    }

    /// <summary>How many leads hold one of these bodies (each once: a count above the bodies' would be a double).</summary>
    private static async Task<int> StoredAsync(string database, List<string> bodies)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("""SELECT count(*) FROM "LeadPayloads" WHERE "Body" = ANY(@Bodies)""", connection);
        count.Parameters.AddWithValue("Bodies", bodies.ToArray());
        return (int)(long)(await count.ExecuteScalarAsync())!;
    }
}
