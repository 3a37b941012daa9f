using System.Net;
using LeadPortal.Data;
using LeadPortal.Data.Sqlite;
using LeadPortal.Infrastructure;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadPortal.Tests.Store;

/// <summary>What a start sets up once per store, and the proxy settings read at start.</summary>
[Collection(HeavyTests.Name)]
public sealed class StartupTests : IDisposable
{
    private readonly string _database = TempDatabase.NewPath();

    public void Dispose() => TempDatabase.Delete(_database);

    [Fact(Timeout = 120_000)]
    public async Task Two_processes_started_together_on_a_new_SQLite_file_set_it_up_once()
    {
        var started = await AppProcess.StartTogetherAsync(AppProcess.StartAsync(_database), AppProcess.StartAsync(_database));
        try
        {
            foreach (var app in started)
            {
                using var http = new HttpClient { BaseAddress = new Uri(app.Address) };
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            }

            await using var db = SqliteStore.CreateContext($"Data Source={_database}");
            Assert.Equal(1, await db.Users.CountAsync());
            Assert.Equal(1, await db.IntakeKeys.CountAsync());
            Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
        }
        finally
        {
            foreach (var app in started)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_migration_lock_left_by_a_process_killed_while_migrating_does_not_stop_the_next_start()
    {
        await using (var first = new LeadPortalFactory(_database))
        {
            first.CreateClient();
        }

        // What EF Core leaves when the process dies between taking its lock and letting it go.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE IF NOT EXISTS "__EFMigrationsLock" ("Id" INTEGER NOT NULL PRIMARY KEY, "Timestamp" TEXT NOT NULL);
                INSERT OR IGNORE INTO "__EFMigrationsLock" VALUES (1, '2026-12-01 04:00:00+00:00');
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using var app = await AppProcess.StartAsync(_database).WaitAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri(app.Address) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public void Proxies_and_networks_come_from_settings_as_lists_or_one_comma_separated_value()
    {
        var settings = ProxySettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.5",
            ["ForwardedHeaders:KnownProxies:1"] = "fd00::7",
            ["ForwardedHeaders:KnownNetworks"] = "10.1.0.0/16, 192.168.0.0/24",
            ["ForwardedHeaders:ForwardLimit"] = "2",
        }).Build());

        Assert.Equal(["10.0.0.5", "fd00::7"], settings.KnownProxies.Select(p => p.ToString()));
        Assert.Equal(["10.1.0.0/16", "192.168.0.0/24"], settings.KnownNetworks.Select(n => n.ToString()));
        Assert.Equal(2, settings.ForwardLimit);
        var none = ProxySettings.Read(new ConfigurationBuilder().Build());
        Assert.Empty(none.KnownProxies);
        Assert.Equal(1, none.ForwardLimit);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies", "10.0.0.300", "not an IP address")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.0.0.0", "CIDR")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.0.0.0/40", "CIDR")]
    [InlineData("ForwardedHeaders:ForwardLimit", "0", "1 or more")]
    public void A_wrong_proxy_setting_stops_the_start_with_what_is_wrong(string key, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ProxySettings.Read(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build()));
        Assert.Contains(message, error.Message);
        Assert.Contains(key.Split(':')[1], error.Message);
    }

    [Fact]
    public async Task The_app_trusts_the_configured_proxies_and_networks()
    {
        await using var app = new LeadPortalFactory(StoreProvider.Sqlite, TempDatabase.NewPath(), new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies"] = "10.0.0.5",
            ["ForwardedHeaders:KnownNetworks"] = "10.1.0.0/16",
        });
        app.CreateClient();

        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        Assert.Contains(System.Net.IPAddress.Parse("10.0.0.5"), options.KnownProxies);
        Assert.Contains(System.Net.IPNetwork.Parse("10.1.0.0/16"), options.KnownIPNetworks);
    }

    [Theory]
    [InlineData(null, "evil.example", "127.0.0.1")]                                    // no host list: the header is ignored
    [InlineData("leads.contoso.example", "evil.example", "127.0.0.1")]                 // not in the list
    [InlineData("leads.contoso.example", "leads.contoso.example", "leads.contoso.example")]
    public async Task A_forwarded_host_is_believed_only_for_the_configured_host_names(string? allowed, string forwarded, string expected)
    {
        await using var app = new LeadPortalFactory(StoreProvider.Sqlite, TempDatabase.NewPath(), new Dictionary<string, string?>
        {
            ["ForwardedHeaders:AllowedHosts"] = allowed,
        });
        app.UseKestrel(0);
        app.StartServer();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/leads");
        request.Headers.Add("X-Forwarded-Host", forwarded);

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.Host);
    }

    [Fact]
    public void A_wrong_allowed_host_stops_the_start_with_what_is_wrong()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ProxySettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ForwardedHeaders:AllowedHosts"] = "https://leads.contoso.example/" }).Build()));
        Assert.Contains("AllowedHosts holds 'https://leads.contoso.example/'", error.Message);
    }
}
