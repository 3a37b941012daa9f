using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using LeadPortal.Accounts;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Data.Postgres;
using LeadPortal.Intake;
using LeadPortal.Leads;
using LeadPortal.Tests.Assignment;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadPortal.Tests.Store;

/// <summary>
/// Several instances on one PostgreSQL database: as OS processes where a start or a crash is the point, and as two app
/// hosts in this process (each with its own caches, feed and listener) where what one instance tells another is.
/// </summary>
[PostgresStore]
[Collection(HeavyTests.Name)]
public sealed class SeveralInstancesTests : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    private readonly List<string> _databases = [];
    private readonly List<IAsyncDisposable> _apps = [];

    // xunit v2 disposes a test class through IAsyncLifetime (an IAsyncDisposable class would leave its processes running).
    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        foreach (var database in _databases)
        {
            PostgresServer.Instance.DropDatabase(database);
        }
    }

    private string NewDatabase(bool empty = false)
    {
        var database = PostgresServer.Instance.NewDatabase(empty);
        _databases.Add(database);
        return database;
    }

    /// <summary>Two app hosts on one database, started.</summary>
    private (LeadPortalFactory A, LeadPortalFactory B) TwoInstances()
    {
        var database = NewDatabase();
        var a = new LeadPortalFactory(StoreProvider.Postgres, "", new Dictionary<string, string?> { ["ConnectionStrings:LeadPortal"] = database });
        var b = new LeadPortalFactory(StoreProvider.Postgres, "", new Dictionary<string, string?> { ["ConnectionStrings:LeadPortal"] = database });
        _apps.Add(a);
        _apps.Add(b);
        a.CreateClient();
        b.CreateClient();
        return (a, b);
    }

    private static async Task WaitUntilListeningAsync(LeadPortalFactory app)
    {
        var signals = app.Services.GetRequiredService<StoreSignals>();
        var watch = Stopwatch.StartNew();
        while (!signals.Listening)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"The store listener did not connect: {signals.Problem}");
            await Task.Delay(20);
        }
    }

    /// <summary>Collects what an instance's feed announces.</summary>
    private sealed class FeedRecorder : IDisposable
    {
        private readonly IDisposable _subscription;
        private readonly List<long> _ids = [];

        public FeedRecorder(LeadPortalFactory app) =>
            _subscription = app.Services.GetRequiredService<LeadFeed>().Subscribe(arrivals =>
            {
                lock (_ids)
                {
                    _ids.AddRange(arrivals.Select(a => a.LeadId));
                }
            });

        public List<long> Ids
        {
            get
            {
                lock (_ids)
                {
                    return [.. _ids];
                }
            }
        }

        public async Task WaitForAsync(long id, TimeSpan within)
        {
            var watch = Stopwatch.StartNew();
            while (!Ids.Contains(id))
            {
                Assert.True(watch.Elapsed < within, $"Lead {id} was not announced within {within.TotalSeconds} s (heard: {string.Join(",", Ids)}).");
                await Task.Delay(20);
            }
        }

        public void Dispose() => _subscription.Dispose();
    }

    private static async Task<long> PostAsync(LeadPortalFactory app)
    {
        var response = await app.CreateClient().PostLeadAsync(SampleLeads.Unique());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return long.Parse((await response.ReadReceiptAsync()).Id);
    }

    [StoreFact(Timeout = 180_000)]
    public async Task Instances_started_together_on_an_empty_database_come_up_with_one_admin_one_key_and_one_key_ring()
    {
        var database = NewDatabase(empty: true);
        var started = await AppProcess.StartTogetherAsync([.. Enumerable.Range(0, 3).Select(_ => AppProcess.StartAsync(StoreProvider.Postgres, database))]);
        _apps.AddRange(started);

        foreach (var app in started)
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Address) };
            var health = await http.GetAsync("/healthz");
            Assert.True(health.StatusCode == HttpStatusCode.OK, await health.Content.ReadAsStringAsync());
        }

        await using var db = PostgresStore.CreateContext(database);
        Assert.Equal(1, await db.Users.CountAsync());
        Assert.Equal(1, await db.IntakeKeys.CountAsync());
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
        Assert.Equal(2, await db.Roles.CountAsync());

        // The sign-in cookie made by one works on the others (one key ring).
        var cookies = new CookieContainer();
        using var toA = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(started[0].Address) };
        var signedIn = await toA.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"Sign-in answered {signedIn.StatusCode}");
        var cookie = cookies.GetCookieHeader(new Uri(started[0].Address));
        foreach (var other in started.Skip(1))
        {
            using var toOther = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(other.Address) };
            toOther.DefaultRequestHeaders.Add("Cookie", cookie);
            var page = await toOther.GetAsync("/account/change-password");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
    }

    [StoreFact(Timeout = 120_000)]
    public async Task A_lead_stored_by_one_instance_is_announced_on_the_other_once_and_on_its_own_once()
    {
        var (a, b) = TwoInstances();
        await WaitUntilListeningAsync(a);
        await WaitUntilListeningAsync(b);
        using var onA = new FeedRecorder(a);
        using var onB = new FeedRecorder(b);

        var id = await PostAsync(a);

        await onB.WaitForAsync(id, TimeSpan.FromSeconds(5));
        await Task.Delay(500); // an echo of A's own notification would come now
        Assert.Equal([id], onA.Ids);
        Assert.Equal([id], onB.Ids);
    }

    [StoreFact(Timeout = 120_000)]
    public async Task An_instance_whose_listening_connection_is_killed_reconnects_and_announces_what_it_missed_and_what_comes_next()
    {
        var (a, b) = TwoInstances();
        await WaitUntilListeningAsync(a);
        await WaitUntilListeningAsync(b);
        using var onB = new FeedRecorder(b);
        var database = a.PostgresConnectionString!;

        // Every listener on this database is killed; a lead is stored while they are away.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @Name AND datname = current_database()", connection);
            kill.Parameters.AddWithValue("Name", PostgresSignals.ApplicationName);
            Assert.Equal(2L, await kill.ExecuteScalarAsync());
        }

        var missed = await PostAsync(a);
        await onB.WaitForAsync(missed, TimeSpan.FromSeconds(10));
        await WaitUntilListeningAsync(b);
        var next = await PostAsync(a);
        await onB.WaitForAsync(next, TimeSpan.FromSeconds(5));
        Assert.Equal([missed, next], onB.Ids);
    }

    [StoreFact(Timeout = 120_000)]
    public async Task A_key_revoked_on_one_instance_is_refused_by_the_other_within_a_second()
    {
        var (a, b) = TwoInstances();
        await WaitUntilListeningAsync(b);
        var keys = a.Services.GetRequiredService<IntakeKeyStore>();
        var created = await keys.CreateAsync("Second key");
        var toB = b.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await toB.PostLeadAsync(SampleLeads.Unique(), created.Secret)).StatusCode); // cached on B now

        Assert.True(await keys.RevokeAsync(created.Id));
        // B's own key check, asked directly: an HTTP round trip on a loaded machine would time the machine, not B.
        var onB = b.Services.GetRequiredService<IntakeKeyStore>();
        var watch = Stopwatch.StartNew();
        while (await onB.ValidateAsync(created.Secret) is not null)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), "B still took the revoked key after a second.");
            await Task.Delay(10);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await toB.PostLeadAsync(SampleLeads.Unique(), created.Secret)).StatusCode);
    }

    [StoreFact(Timeout = 120_000)]
    public async Task Two_admins_demoting_each_other_from_two_instances_at_once_leave_one_admin()
    {
        var (a, b) = TwoInstances();
        var onA = a.Services.GetRequiredService<UserAdmin>();
        var onB = b.Services.GetRequiredService<UserAdmin>();
        var first = await a.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync());
        var firstActor = Actor(first);

        for (var round = 0; round < 8; round++)
        {
            var email = $"admin{round}@leadportal.test";
            Assert.True((await onA.CreateAsync(firstActor, email, null, Roles.Admin)).Succeeded);
            var second = await a.QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

            // Each demotes the other, one on each instance, at the same moment.
            var results = await Task.WhenAll(
                Task.Run(() => onA.ChangeRoleAsync(Actor(second), first, Roles.Sales)),
                Task.Run(() => onB.ChangeRoleAsync(firstActor, second, Roles.Sales)));

            Assert.Single(results, r => r.Succeeded);
            Assert.Contains("last active admin", results.Single(r => !r.Succeeded).Error);
            var admins = await AdminsAsync(a);
            Assert.Single(admins);

            // The one left is the admin for the next round; the demoted one leaves.
            first = admins[0];
            firstActor = Actor(first);
        }
    }

    [StoreFact(Timeout = 180_000)]
    public async Task Reprocessing_started_on_two_instances_at_once_runs_once_and_both_show_its_progress()
    {
        var (a, b) = TwoInstances();
        await PostAsync(a);
        var leads = await CopyLeadsAsync(a.PostgresConnectionString!, 3_000);
        var onA = a.Services.GetRequiredService<ReprocessJob>();
        var onB = b.Services.GetRequiredService<ReprocessJob>();
        var admin = Actor(await a.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync()));

        var answers = await Task.WhenAll(Task.Run(() => onA.StartAsync(admin)), Task.Run(() => onB.StartAsync(admin)));

        Assert.Single(answers, r => r is null);
        Assert.Contains("already going on", answers.Single(r => r is not null));
        var running = (onA.Current ?? onB.Current)!;
        var seenOnOther = await (onA.Current is null ? onA : onB).GetProgressAsync();
        Assert.True(seenOnOther.StartedAt is not null);
        await running;
        var done = await onB.GetProgressAsync();
        Assert.False(done.Running);
        Assert.Equal(leads, done.Processed);
        Assert.Equal(0, done.TakenOver);
        Assert.Single(await a.QueryAsync(db => db.AuditLog.Where(e => e.Action == AuditActions.ReprocessStarted).ToListAsync()));
    }

    [StoreFact(Timeout = 180_000)]
    public async Task A_reprocessing_run_whose_instance_is_killed_is_resumed_by_another_and_counts_each_lead_once()
    {
        var database = NewDatabase();
        var lease = new Dictionary<string, string> { ["Jobs__LeaseDuration"] = "00:00:02" };
        var a = await AppProcess.StartAsync(StoreProvider.Postgres, database, lease);
        _apps.Add(a);
        var b = new LeadPortalFactory(StoreProvider.Postgres, "", new Dictionary<string, string?>
        {
            ["ConnectionStrings:LeadPortal"] = database,
            ["Jobs:LeaseDuration"] = "00:00:02",
        });
        _apps.Add(b);
        b.CreateClient();
        await PostAsync(b);
        var leads = await CopyLeadsAsync(database, 8_000);
        var onB = b.Services.GetRequiredService<ReprocessJob>();

        // Started on A through its admin API, as a signed-in admin.
        var cookies = new CookieContainer();
        using (var toA = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(a.Address) })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await toA.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword)).StatusCode);
            var started = await toA.PostFormAsync("/api/admin/jobs/reprocess");
            Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
            var again = await toA.PostFormAsync("/api/admin/jobs/reprocess");
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("already going", await again.Content.ReadAsStringAsync());
        }

        // B shows A's progress; A is killed part-way.
        var watch = Stopwatch.StartNew();
        ReprocessProgress progress;
        while ((progress = await onB.GetProgressAsync()).Processed < 1_000)
        {
            Assert.True(progress.Running && watch.Elapsed < TimeSpan.FromSeconds(60), $"A's run did not get going: {progress}");
            await Task.Delay(20);
        }

        Assert.NotNull(progress.RunningOn);
        await a.KillAsync();
        var atKill = (await onB.GetProgressAsync()).Processed;
        Assert.True(atKill < leads, "The run finished before A was killed; nothing was left to resume.");

        while ((progress = await onB.GetProgressAsync()).Running)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"B did not finish the run: {progress}");
            await Task.Delay(50);
        }

        Assert.Null(progress.Error);
        Assert.Equal(1, progress.TakenOver);
        Assert.Equal(leads, progress.Processed);
    }

    [StoreFact(Timeout = 180_000)]
    public async Task A_thousand_leads_posted_to_each_of_two_instances_at_once_are_stored_once_each_and_the_kept_totals_match()
    {
        var database = NewDatabase();
        var instances = await AppProcess.StartTogetherAsync(AppProcess.StartAsync(StoreProvider.Postgres, database), AppProcess.StartAsync(StoreProvider.Postgres, database));
        _apps.AddRange(instances);
        using var toA = new HttpClient { BaseAddress = new Uri(instances[0].Address) };
        using var toB = new HttpClient { BaseAddress = new Uri(instances[1].Address) };
        var bodies = Enumerable.Range(0, 2_000).Select(i => SampleLeads.Unique()).ToList();

        // 32 at a time to each instance; every body goes to both (one stores it, the other finds it) for the first 200.
        using var gate = new SemaphoreSlim(64);
        var answers = await Task.WhenAll(bodies.Select((body, i) => Task.Run(async () =>
        {
            await gate.WaitAsync();
            try
            {
                var response = await (i % 2 == 0 ? toA : toB).PostLeadAsync(body);
                var echo = i < 200 ? await (i % 2 == 0 ? toB : toA).PostLeadAsync(body) : null;
                return (Status: response.StatusCode, Id: (await response.ReadReceiptAsync()).Id, Echo: echo is null ? null : (await echo.ReadReceiptAsync()).Id);
            }
            finally
            {
                gate.Release();
            }
        })));

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.OK, a.Status.ToString()));
        Assert.All(answers.Where(a => a.Echo is not null), a => Assert.Equal(a.Id, a.Echo));
        Assert.Equal(2_000, answers.Select(a => a.Id).Distinct().Count());
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var check = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM "Leads"),
                   (SELECT count(*) FROM (
                        (SELECT "IsTest", "ActionCode", "Country", "Source", "Status", sum("Count") FROM "LeadCounts" GROUP BY 1, 2, 3, 4, 5 HAVING sum("Count") <> 0
                         EXCEPT
                         SELECT "IsTest", coalesce("ActionCode", ''), coalesce("Country", ''), coalesce("Source", ''), "Status", count(*) FROM "Leads" GROUP BY 1, 2, 3, 4, 5)
                        UNION ALL
                        (SELECT "IsTest", coalesce("ActionCode", ''), coalesce("Country", ''), coalesce("Source", ''), "Status", count(*) FROM "Leads" GROUP BY 1, 2, 3, 4, 5
                         EXCEPT
                         SELECT "IsTest", "ActionCode", "Country", "Source", "Status", sum("Count") FROM "LeadCounts" GROUP BY 1, 2, 3, 4, 5 HAVING sum("Count") <> 0)) AS d)
            """, connection);
        await using var reader = await check.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(2_000L, reader.GetInt64(0));
        Assert.Equal(0L, reader.GetInt64(1));
    }

    [StoreFact(Timeout = 180_000)]
    public async Task Killing_one_of_two_instances_under_intake_load_loses_no_acknowledged_lead()
    {
        var database = NewDatabase();
        var instances = await AppProcess.StartTogetherAsync(AppProcess.StartAsync(StoreProvider.Postgres, database), AppProcess.StartAsync(StoreProvider.Postgres, database));
        _apps.AddRange(instances);
        using var toA = new HttpClient { BaseAddress = new Uri(instances[0].Address), Timeout = TimeSpan.FromSeconds(10) };
        using var toB = new HttpClient { BaseAddress = new Uri(instances[1].Address), Timeout = TimeSpan.FromSeconds(10) };
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<long>();
        using var stop = new CancellationTokenSource();

        async Task PostUntilStoppedAsync(HttpClient client)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var response = await client.PostLeadAsync(SampleLeads.Unique());
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Add(long.Parse((await response.ReadReceiptAsync()).Id));
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    // A's connections break when it is killed: those posts were never acknowledged.
                    if (client == toB)
                    {
                        throw;
                    }

                    await Task.Delay(50);
                }
            }
        }

        var load = Enumerable.Range(0, 16).Select(i => Task.Run(() => PostUntilStoppedAsync(i % 2 == 0 ? toA : toB))).ToList();
        // Killed mid-load (however slow the machine), then B goes on taking leads.
        await WaitForCountAsync(acknowledged, 100, "acknowledged before the kill");
        await instances[0].KillAsync();
        var atKill = acknowledged.Count;
        await WaitForCountAsync(acknowledged, atKill + 50, "acknowledged by B after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(load);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var ids = new NpgsqlCommand("""SELECT "Id" FROM "Leads" """, connection);
        var stored = new HashSet<long>();
        await using var reader = await ids.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored.Add(reader.GetInt64(0));
        }

        Assert.Subset(stored, acknowledged.ToHashSet());
    }

    private static async Task WaitForCountAsync(System.Collections.Concurrent.ConcurrentBag<long> bag, int count, string what)
    {
        var watch = Stopwatch.StartNew();
        while (bag.Count < count)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"Only {bag.Count} leads {what} within a minute.");
            await Task.Delay(20);
        }
    }

    /// <summary>Copies the database's first lead (row and raw body) until it holds <paramref name="count"/> leads; returns the count.</summary>
    private static async Task<int> CopyLeadsAsync(string database, int count)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var columns = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'Leads' AND column_name <> 'Id' AND is_generated = 'NEVER' ORDER BY ordinal_position", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add("\"" + reader.GetString(0) + "\"");
            }
        }

        var names = string.Join(", ", columns);
        await using var copy = new NpgsqlCommand($"""
            INSERT INTO "Leads" ({names}) SELECT {names} FROM "Leads", generate_series(1, @More) WHERE "Id" = (SELECT min("Id") FROM "Leads");
            INSERT INTO "LeadPayloads" ("LeadId", "Body")
            SELECT l."Id", p."Body" FROM "Leads" l, "LeadPayloads" p
            WHERE p."LeadId" = (SELECT min("Id") FROM "Leads") AND NOT EXISTS (SELECT 1 FROM "LeadPayloads" q WHERE q."LeadId" = l."Id");
            """, connection);
        copy.Parameters.AddWithValue("More", count - 1);
        await copy.ExecuteNonQueryAsync();
        return count;
    }

    [StoreFact(Timeout = 180_000)]
    public async Task Leads_posted_to_two_instances_at_once_are_each_routed_once_and_round_robin_stays_even()
    {
        var (a, b) = TwoInstances();
        string[] users = [await a.AddUserAsync("anna@leadportal.test"), await a.AddUserAsync("bo@leadportal.test"), await a.AddUserAsync("cleo@leadportal.test")];
        await a.AddRuleAsync("Everyone", AssignmentMode.RoundRobin, users);

        // Both dispatchers run; the lease lets one route at a time, whichever instance took the lead.
        var posted = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() => PostAsync(i % 2 == 0 ? a : b))));
        var owners = await b.OwnersAfterRoutingAsync(posted);

        Assert.Equal(60, posted.Distinct().Count());
        Assert.All(posted, id => Assert.Contains(owners[id], users));
        var routed = await a.QueryAsync(db => db.LeadActivities.Where(x => x.Kind == LeadActivityKind.AutoAssigned)
            .GroupBy(x => x.LeadId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        Assert.Equal(60, routed.Count);
        Assert.All(routed, r => Assert.Equal(1, r.Count));
        var counts = users.Select(u => owners.Values.Count(o => o == u)).ToList();
        Assert.True(counts.Max() - counts.Min() <= 1, $"Round robin gave {string.Join(", ", counts)}.");
    }

    private static ClaimsPrincipal Actor(string id) => new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id)], "test"));

    private static Task<List<string>> AdminsAsync(LeadPortalFactory app) => app.QueryAsync(db =>
        (from user in db.Users
         join link in db.UserRoles on user.Id equals link.UserId
         join role in db.Roles on link.RoleId equals role.Id
         where role.Name == Roles.Admin && !user.IsDisabled
         select user.Id).ToListAsync());
}
