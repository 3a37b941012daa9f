using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Data.Tables.Sas;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.TableIntake;

/// <summary>
/// Pull intake against Azurite's table service, on each store: every entity is stored once however the reads go
/// (pages, a restart mid-read, a second instance, a re-read of the overlap), from <c>:Since</c> when it is set, and a
/// wrong credential or a busy service shows on the source and is retried.
/// </summary>
[Collection(HeavyTests.Name)]
public class TableIntakeTests : IAsyncLifetime
{
    public TableIntakeTests() : this(StoreProvider.Sqlite)
    {
    }

    protected TableIntakeTests(StoreProvider provider) => Provider = provider;

    protected StoreProvider Provider { get; }

    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly List<string> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }

        foreach (var database in _databases)
        {
            if (Provider == StoreProvider.Postgres)
            {
                PostgresServer.Instance.DropDatabase(database);
            }
            else
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                TempDatabase.Delete(database);
            }
        }
    }

    /// <summary>A store that several apps in turn (or at once) can run on: a SQLite file's path, or a PostgreSQL database.</summary>
    protected string NewDatabase()
    {
        var database = Provider == StoreProvider.Postgres ? PostgresServer.Instance.NewDatabase() : TempDatabase.NewPath();
        _databases.Add(database);
        return database;
    }

    protected LeadPortalFactory StartApp(string database, IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["TableIntake:CheckInterval"] = "00:00:00.050",
            ["TableIntake:RetryBaseDelay"] = "00:00:00.100",
            ["TableIntake:MaxRetryDelay"] = "00:00:02",
        };
        if (Provider == StoreProvider.Postgres)
        {
            all["ConnectionStrings:LeadPortal"] = database;
        }

        var app = new LeadPortalFactory(Provider, Provider == StoreProvider.Postgres ? "" : database, all);
        _disposables.Add(app);
        app.CreateClient();
        return app;
    }

    protected static Dictionary<string, string?> Source(string connectionString, string table, string? since = null) => new()
    {
        ["TableIntake:Sources:0:Name"] = "Marketplace",
        ["TableIntake:Sources:0:ConnectionString"] = connectionString,
        ["TableIntake:Sources:0:Table"] = table,
        ["TableIntake:Sources:0:PollInterval"] = "00:00:00.200",
        ["TableIntake:Sources:0:Since"] = since,
    };

    /// <summary>Writes entities as Partner Center's Azure Table destination does, 100 per partition and transaction.</summary>
    protected static async Task<List<TableEntity>> SeedAsync(string table, int count, int first = 0)
    {
        var client = AzuriteServer.Instance.Table(table);
        await client.CreateIfNotExistsAsync();
        var entities = Enumerable.Range(first, count).Select(Entity).ToList();
        foreach (var group in entities.GroupBy(e => e.PartitionKey))
        {
            foreach (var chunk in group.Chunk(100))
            {
                await client.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
            }
        }

        return entities;
    }

    protected static TableEntity Entity(int n) => new($"offer{n / 100}", $"lead-{n:D5}")
    {
        ["ActionCode"] = "INS",
        ["CreatedTime"] = "2026-11-02T09:30:00Z",
        ["CustomerInfo"] = JsonSerializer.Serialize(new
        {
            FirstName = $"Ada{n}",
            LastName = "Lovelace",
            Email = $"ada{n}@contoso.example",
            Phone = "+46 70 123 45 67",
            Country = "Sweden",
            Company = "Contoso",
            Title = "CTO",
        }),
        ["Description"] = "Wants a demo",
        ["LeadSource"] = "AzureMarketplace-INS|contoso.widget",
        ["OfferDisplayName"] = "Contoso Widget",
    };

    protected static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(watch.Elapsed < within, $"{what} within {within.TotalSeconds} s; last seen: {JsonSerializer.Serialize(value)}");
            await Task.Delay(25);
        }
    }

    protected static Task<TableSource> SourceRowAsync(LeadPortalFactory app) =>
        app.QueryAsync(db => db.TableSources.AsNoTracking().SingleAsync(s => s.Name == "Marketplace"));

    protected static Task<(int Leads, int Keys)> CountsAsync(LeadPortalFactory app) =>
        app.QueryAsync(async db => (
            await db.Leads.CountAsync(),
            await db.Leads.Where(l => l.OriginKey != null).Select(l => l.OriginKey).Distinct().CountAsync()));

    [StoreFact(Azurite = true, Timeout = 120_000)]
    public async Task A_thousand_entities_across_pages_are_stored_once_each_across_a_restart_mid_read_and_a_re_read_of_the_overlap()
    {
        var table = AzuriteServer.Instance.NewTableName();
        await SeedAsync(table, 1000);
        var proxy = await TableServiceProxy.StartAsync(AzuriteServer.Instance.Port);
        _disposables.Add(proxy);
        proxy.Delay = TimeSpan.FromMilliseconds(150);
        var database = NewDatabase();
        var settings = Source(AzuriteServer.Instance.ConnectionString(proxy.Port), table);
        settings["TableIntake:PageSize"] = "100";

        var first = StartApp(database, settings);
        var midway = await WaitForAsync(() => SourceRowAsync(first), s => s.RunRead >= 200, TimeSpan.FromSeconds(30), "The first read did not get 200 entities in");
        Assert.False(midway.HistoryDone);
        await first.DisposeAsync();
        _disposables.Remove(first);

        await using (var db = Provider == StoreProvider.Postgres
            ? Data.Postgres.PostgresStore.CreateContext(database)
            : (LeadPortalDbContext)Data.Sqlite.SqliteStore.CreateContext($"Data Source={database}"))
        {
            var stopped = await db.TableSources.AsNoTracking().SingleAsync();
            Assert.False(stopped.HistoryDone);
            Assert.NotNull(stopped.RunContinuation);
            Assert.InRange(await db.Leads.CountAsync(), 200, 999);
        }

        proxy.Delay = TimeSpan.Zero;
        var second = StartApp(database, settings);
        var done = await WaitForAsync(() => SourceRowAsync(second), s => s.HistoryDone, TimeSpan.FromSeconds(60), "The read was not finished after the restart");
        Assert.Null(done.LastError);
        Assert.Equal((1000, 1000), await CountsAsync(second));
        Assert.Equal(1000, done.ImportedTotal);

        // The next reads start before the checkpoint (the overlap) and so find every entity again: none is stored twice.
        var reads = done.LastSuccessAt;
        await WaitForAsync(() => SourceRowAsync(second), s => s.LastSuccessAt > reads, TimeSpan.FromSeconds(30), "No further read");
        Assert.Equal((1000, 1000), await CountsAsync(second));

        var lead = await second.QueryAsync(db => db.Leads.AsNoTracking().Include(l => l.Payload).SingleAsync(l => l.Email == "ada7@contoso.example"));
        Assert.Equal(LeadOrigin.Table, lead.Origin);
        Assert.Equal("Marketplace", lead.OriginName);
        Assert.Equal(("INS", "contoso.widget", "Contoso Widget", "SE", "Ada7"), (lead.ActionCode, lead.OfferId, lead.OfferTitle, lead.Country, lead.FirstName));
        using var raw = JsonDocument.Parse(lead.Payload!.Body);
        Assert.Equal("lead-00007", raw.RootElement.GetProperty("RowKey").GetString());
        Assert.Equal("offer0", raw.RootElement.GetProperty("PartitionKey").GetString());
        Assert.StartsWith("{", raw.RootElement.GetProperty("CustomerInfo").GetString());
        // The endpoint's log is for posts: no delivery rows for leads read from a table.
        Assert.Equal(0, await second.QueryAsync(db => db.DeliveryLog.CountAsync()));
    }

    [StoreFact(Azurite = true, Timeout = 60_000)]
    public async Task A_source_with_since_stores_only_the_entities_written_from_then_and_shows_its_progress()
    {
        var table = AzuriteServer.Instance.NewTableName();
        var client = AzuriteServer.Instance.Table(table);
        await SeedAsync(table, 5);
        var old = await client.QueryAsync<TableEntity>().ToListAsync();
        var newestOld = old.Max(e => e.Timestamp!.Value);
        // The service stamps each write: wait until a new write is stamped after the old ones.
        List<TableEntity> fresh;
        var next = 100;
        do
        {
            await Task.Delay(20);
            await SeedAsync(table, 1, next++);
            fresh = (await client.QueryAsync<TableEntity>().ToListAsync()).Where(e => e.Timestamp > newestOld).ToList();
        }
        while (fresh.Count == 0);

        await SeedAsync(table, 4, next);
        var since = fresh.Min(e => e.Timestamp!.Value);
        var app = StartApp(NewDatabase(), Source(AzuriteServer.Instance.ConnectionString(), table, since.ToString("O")));

        var done = await WaitForAsync(() => SourceRowAsync(app), s => s.HistoryDone, TimeSpan.FromSeconds(30), "The first read did not finish");
        Assert.Equal(5, done.ImportedTotal);
        Assert.Equal(5, (await CountsAsync(app)).Leads);
        // PostgreSQL keeps microseconds, the table service 100 ns.
        Assert.Equal(since.UtcDateTime, done.Since!.Value, TimeSpan.FromMilliseconds(1));
        Assert.All(await app.QueryAsync(db => db.Leads.Select(l => l.ReceivedAt).ToListAsync()), at => Assert.True(at >= since.UtcDateTime.AddMilliseconds(-1)));
    }

    [StoreFact(Azurite = true, Timeout = 60_000)]
    public async Task A_wrong_account_key_shows_on_the_source_and_in_healthz_and_stores_nothing()
    {
        var table = AzuriteServer.Instance.NewTableName();
        await SeedAsync(table, 3);
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var app = StartApp(NewDatabase(), Source(AzuriteServer.Instance.ConnectionString(accountKey: wrongKey), table));

        var failing = await WaitForAsync(() => SourceRowAsync(app), s => s.Failures >= 2, TimeSpan.FromSeconds(30), "The source did not fail twice");
        Assert.Contains("refused the credential (HTTP 403", failing.LastError);
        Assert.NotNull(failing.FailingSince);
        Assert.Equal(0, (await CountsAsync(app)).Leads);

        var health = await app.CreateClient().GetAsync("/healthz");
        var body = await health.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var json = JsonDocument.Parse(body);
        var check = json.RootElement.GetProperty("checks").GetProperty("table-intake");
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Contains("refused the credential", check.GetProperty("description").GetString());
        Assert.DoesNotContain(wrongKey, body);
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(wrongKey, StringComparison.Ordinal));

        // The metrics say so too (the gauges show what the poller last read of the sources' rows).
        var scrape = await WaitForAsync(() => app.CreateClient().GetStringAsync("/metrics"),
            text => System.Text.RegularExpressions.Regex.IsMatch(text, """(?m)^leadportal_table_failing\{[^}]*source="Marketplace"[^}]*\} 1"""),
            TimeSpan.FromSeconds(20), "The failing gauge was not 1");
        Assert.DoesNotContain(wrongKey, scrape);
    }

    [StoreFact(Azurite = true, Timeout = 60_000)]
    public async Task A_table_sas_url_reads_the_table_and_an_expired_one_is_refused_with_its_reason()
    {
        var table = AzuriteServer.Instance.NewTableName();
        await SeedAsync(table, 3);
        var signer = new TableClient(new Uri($"http://127.0.0.1:{AzuriteServer.Instance.Port}/{AzuriteServer.AccountName}"), table,
            new TableSharedKeyCredential(AzuriteServer.AccountName, AzuriteServer.AccountKey));
        var valid = signer.GenerateSasUri(TableSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1)).ToString();
        var expired = signer.GenerateSasUri(TableSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(-1)).ToString();
        var app = StartApp(NewDatabase(), new Dictionary<string, string?>
        {
            ["TableIntake:Sources:0:Name"] = "Marketplace",
            ["TableIntake:Sources:0:SasUrl"] = valid,
            ["TableIntake:Sources:0:PollInterval"] = "00:00:00.200",
            ["TableIntake:Sources:1:Name"] = "Expired",
            ["TableIntake:Sources:1:SasUrl"] = expired,
            ["TableIntake:Sources:1:Table"] = table,
        });

        var done = await WaitForAsync(() => SourceRowAsync(app), s => s.HistoryDone, TimeSpan.FromSeconds(30), "The SAS source was not read");
        Assert.Equal(3, done.ImportedTotal);
        Assert.Equal(TableCredentialKind.SasUrl, done.CredentialKind);
        Assert.Equal(table, done.Table);
        Assert.DoesNotContain("sig=", done.Endpoint);
        var refused = await WaitForAsync(() => app.QueryAsync(db => db.TableSources.AsNoTracking().SingleAsync(s => s.Name == "Expired")),
            s => s.LastError is not null, TimeSpan.FromSeconds(30), "The expired SAS was not reported");
        Assert.Contains("refused the credential (HTTP 403", refused.LastError);
        Assert.Equal(3, (await CountsAsync(app)).Leads);
        var signature = System.Web.HttpUtility.ParseQueryString(new Uri(expired).Query)["sig"]!;
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(signature, StringComparison.Ordinal));
    }

    [StoreFact(Azurite = true, Timeout = 60_000)]
    public async Task A_busy_service_answering_503_with_retry_after_is_retried_until_every_entity_is_stored()
    {
        var table = AzuriteServer.Instance.NewTableName();
        await SeedAsync(table, 10);
        var proxy = await TableServiceProxy.StartAsync(AzuriteServer.Instance.Port);
        _disposables.Add(proxy);
        proxy.Busy = true;
        var app = StartApp(NewDatabase(), Source(AzuriteServer.Instance.ConnectionString(proxy.Port), table));

        var busy = await WaitForAsync(() => SourceRowAsync(app), s => s.LastError is not null, TimeSpan.FromSeconds(30), "The busy answer was not recorded");
        Assert.Contains("busy", busy.LastError);
        Assert.Contains("503", busy.LastError);
        // Retry-After: 1 is waited out, longer than the 0.1 s backoff.
        Assert.True(busy.NextPollAt - busy.LastAttemptAt >= TimeSpan.FromSeconds(1), $"Next try {busy.NextPollAt:O} after {busy.LastAttemptAt:O}");

        proxy.Busy = false;
        var done = await WaitForAsync(() => SourceRowAsync(app), s => s.HistoryDone, TimeSpan.FromSeconds(30), "The read did not finish once the service was free");
        Assert.Null(done.LastError);
        Assert.Null(done.FailingSince);
        Assert.Equal((10, 10), await CountsAsync(app));
        Assert.True(proxy.BusyAnswers >= 1);
    }

    [StoreFact(Azurite = true, Timeout = 60_000)]
    public async Task A_malformed_entity_is_stored_as_far_as_it_parses_with_the_raw_entity_and_test_leads_are_flagged()
    {
        var table = AzuriteServer.Instance.NewTableName();
        var client = AzuriteServer.Instance.Table(table);
        await client.CreateIfNotExistsAsync();
        await client.AddEntityAsync(new TableEntity("p", "not-json") { ["ActionCode"] = "PLT", ["CustomerInfo"] = "{not json", ["OfferDisplayName"] = "Widget" });
        await client.AddEntityAsync(new TableEntity("p", "bare"));
        await client.AddEntityAsync(new TableEntity("p", "nested")
        {
            ["CustomerInfo"] = """{"FirstName":"Grace","Email":"grace@contoso.example","Address":{"City":"Lund"},"Tags":["a"]}""",
            ["LeadSource"] = "AppSource-CTA|contoso.app",
        });
        await client.AddEntityAsync(new TableEntity("p", "test") { ["CustomerInfo"] = """{"FirstName":"MSFT_TEST","Email":"MSFT_TEST@example.com"}""" });
        var app = StartApp(NewDatabase(), Source(AzuriteServer.Instance.ConnectionString(), table));

        await WaitForAsync(() => SourceRowAsync(app), s => s.HistoryDone, TimeSpan.FromSeconds(30), "The read did not finish");
        var leads = await app.QueryAsync(db => db.Leads.AsNoTracking().Include(l => l.Payload).ToListAsync());
        Assert.Equal(4, leads.Count);
        var notJson = leads.Single(l => l.Payload!.Body.Contains("not-json"));
        Assert.Equal(("PLT", "Widget", null), (notJson.ActionCode, notJson.OfferTitle, notJson.Email));
        Assert.Contains("{not json", notJson.Payload!.Body);
        var nested = leads.Single(l => l.Payload!.Body.Contains("nested"));
        Assert.Equal(("Grace", "grace@contoso.example", "contoso.app"), (nested.FirstName, nested.Email, nested.OfferId));
        Assert.True(leads.Single(l => l.Payload!.Body.Contains("\"test\"")).IsTest);
        Assert.Single(leads, l => l.IsTest);
    }

    [StoreFact(Azurite = true, Timeout = 60_000)]
    public async Task A_missing_table_is_named_on_the_source_and_a_source_failing_past_the_alert_setting_mails_the_admins()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        var settings = Source(AzuriteServer.Instance.ConnectionString(), "nosuchtable" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var (key, value) in smtp.Settings)
        {
            settings[key] = value;
        }

        settings["TableIntake:FailureAlert"] = "00:00:00.300";
        var app = StartApp(NewDatabase(), settings);

        var failing = await WaitForAsync(() => SourceRowAsync(app), s => s.LastError is not null, TimeSpan.FromSeconds(30), "The missing table was not reported");
        Assert.Contains("is not in the storage account (HTTP 404", failing.LastError);
        var alerts = await WaitForAsync(
            () => app.QueryAsync(db => db.MailOutbox.Where(m => m.DedupKey.StartsWith("alert:table-source:")).Select(m => m.Subject).ToListAsync()),
            a => a.Count > 0, TimeSpan.FromSeconds(30), "No alert was queued");
        Assert.All(alerts, subject => Assert.Contains("Marketplace", subject));
        // One alert per failure, however many reads fail after it.
        await WaitForAsync(() => SourceRowAsync(app), s => s.Failures >= failing.Failures + 3, TimeSpan.FromSeconds(30), "No further tries");
        Assert.Equal(alerts.Count, await app.QueryAsync(db => db.MailOutbox.CountAsync(m => m.DedupKey.StartsWith("alert:table-source:"))));
    }
}

[PostgresStore]
public sealed class TableIntakePostgresTests() : TableIntakeTests(StoreProvider.Postgres)
{
    [StoreFact(Azurite = true, Timeout = 120_000)]
    public async Task Two_instances_on_one_store_store_a_thousand_entities_exactly_once()
    {
        var table = AzuriteServer.Instance.NewTableName();
        await SeedAsync(table, 1000);
        var database = NewDatabase();
        var settings = Source(AzuriteServer.Instance.ConnectionString(), table);
        settings["TableIntake:PageSize"] = "50";
        var a = StartApp(database, settings);
        var b = StartApp(database, settings);

        var done = await WaitForAsync(() => SourceRowAsync(a), s => s.HistoryDone, TimeSpan.FromSeconds(60), "The read did not finish");
        Assert.Null(done.LastError);
        // Both keep reading the overlap; neither stores anything again.
        var reads = done.LastSuccessAt;
        await WaitForAsync(() => SourceRowAsync(b), s => s.LastSuccessAt > reads, TimeSpan.FromSeconds(30), "No further read");
        Assert.Equal((1000, 1000), await CountsAsync(a));
        Assert.Equal(1000, (await SourceRowAsync(b)).ImportedTotal);
    }
}
