using System.Net;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadPortal.Tests.Store;

/// <summary>copy-store: a SQLite store with the sample data, copied into PostgreSQL and run from there.</summary>
[PostgresStore]
[Collection(HeavyTests.Name)]
public sealed class StoreCopyTests : IDisposable
{
    private readonly string _sqlite = TempDatabase.NewPath();
    private string? _postgres;

    private string Postgres => _postgres ??= PostgresServer.Instance.NewDatabase();

    public void Dispose()
    {
        if (_postgres is not null)
        {
            PostgresServer.Instance.DropDatabase(_postgres);
        }
    }

    [StoreFact(Timeout = 180_000)]
    public async Task The_sample_data_round_trips_with_equal_counts_and_raw_bodies_and_the_app_runs_on_the_copy()
    {
        var maxId = await SeedSqliteAsync();

        var (code, output, error) = await RunAsync("--to", Postgres, "--from", $"Data Source={_sqlite}");
        Assert.True(code == 0, error + output);
        Assert.Contains("every count matches", output);
        Assert.Contains("Leads: ", output);
        await AssertSameDataAsync();

        // Again: refused while the target holds data, and then with --replace the same result.
        (code, _, error) = await RunAsync("--to", Postgres, "--from", $"Data Source={_sqlite}");
        Assert.Equal(1, code);
        Assert.Contains("already holds data", error);
        Assert.Contains("--replace", error);
        (code, output, error) = await RunAsync("--to", Postgres, "--from", $"Data Source={_sqlite}", "--replace");
        Assert.True(code == 0, error + output);
        await AssertSameDataAsync();

        // The app runs on the copy: the admin signs in with the same password, new leads get new ids.
        await using var app = new LeadPortalFactory(StoreProvider.Postgres, "", new Dictionary<string, string?> { ["ConnectionStrings:LeadPortal"] = Postgres });
        var client = app.CreateCookieClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword)).StatusCode);
        var response = await app.CreateClient().PostLeadAsync(SampleLeads.Unique());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(long.Parse((await response.ReadReceiptAsync()).Id) > maxId);
        // A redelivery of a copied lead is still recognised.
        var again = await app.CreateClient().PostLeadAsync(SampleLeads.Read("appsource-contact-me"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [StoreFact]
    public async Task Bad_input_gets_a_clear_message_and_writes_nothing()
    {
        var (code, _, error) = await RunAsync("--from", $"Data Source={_sqlite}");
        Assert.Equal(2, code);
        Assert.Contains("--to", error);

        (code, _, error) = await RunAsync("--to", Postgres, "--from", "Data Source=/nonexistent/leadportal.db");
        Assert.Equal(1, code);
        Assert.Contains("no SQLite database", error);

        await SeedSqliteAsync();
        var unreachable = new NpgsqlConnectionStringBuilder(Postgres) { Port = 1, Timeout = 2 }.ToString();
        (code, _, error) = await RunAsync("--to", unreachable, "--from", $"Data Source={_sqlite}");
        Assert.Equal(1, code);
        Assert.Contains("cannot be prepared", error);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var configuration = new ConfigurationBuilder().Build();
        var code = await StoreCopyCommand.RunAsync(args, configuration, AppContext.BaseDirectory, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The app on SQLite with every sample posted (one twice), a user, notes, a status, an owner and an export.</summary>
    private async Task<long> SeedSqliteAsync()
    {
        await using var app = new LeadPortalFactory(_sqlite);
        var intake = app.CreateClient();
        foreach (var sample in SampleLeads.Names)
        {
            Assert.Equal(HttpStatusCode.Created, (await intake.PostLeadAsync(SampleLeads.Read(sample))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await intake.PostLeadAsync(SampleLeads.Read("appsource-contact-me"))).StatusCode);
        var workflow = app.Services.GetRequiredService<LeadWorkflow>();
        var ids = await app.QueryAsync(db => db.Leads.OrderBy(l => l.Id).Select(l => l.Id).ToListAsync());
        var admin = await app.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync());
        await workflow.ChangeStatusAsync(ids[0], LeadStatus.Contacted, admin);
        await workflow.AddNoteAsync(ids[1], "Called, wants a demo — «ÆØÅ» ✓", admin);
        await workflow.AssignOwnerAsync(ids[2], admin, admin);

        var client = app.CreateCookieClient();
        await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        return ids.Max();
    }

    private async Task AssertSameDataAsync()
    {
        await using var source = LeadPortal.Data.Sqlite.SqliteStore.CreateContext($"Data Source={_sqlite}");
        await using var target = LeadPortal.Data.Postgres.PostgresStore.CreateContext(Postgres);
        Assert.Equal(await source.Leads.CountAsync(), await target.Leads.CountAsync());
        Assert.Equal(await source.Users.CountAsync(), await target.Users.CountAsync());
        Assert.Equal(await source.LeadActivities.CountAsync(), await target.LeadActivities.CountAsync());
        Assert.Equal(await source.DeliveryLog.CountAsync(), await target.DeliveryLog.CountAsync());
        Assert.Equal(await source.AuditLog.CountAsync(), await target.AuditLog.CountAsync());
        Assert.Equal(await source.IntakeKeys.CountAsync(), await target.IntakeKeys.CountAsync());
        Assert.Equal(await source.DataProtectionKeys.CountAsync(), await target.DataProtectionKeys.CountAsync());

        var bodies = await source.LeadPayloads.OrderBy(p => p.LeadId).Select(p => new { p.LeadId, p.Body }).ToListAsync();
        var copied = await target.LeadPayloads.OrderBy(p => p.LeadId).Select(p => new { p.LeadId, p.Body }).ToListAsync();
        Assert.Equal(bodies, copied);
        var leads = await source.Leads.OrderBy(l => l.Id).Select(l => new { l.Id, l.ReceivedAt, l.Email, l.Status, l.OwnerId, l.IsTest, l.BodyHash }).ToListAsync();
        var copiedLeads = await target.Leads.OrderBy(l => l.Id).Select(l => new { l.Id, l.ReceivedAt, l.Email, l.Status, l.OwnerId, l.IsTest, l.BodyHash }).ToListAsync();
        Assert.Equal(leads.Count, copiedLeads.Count);
        for (var i = 0; i < leads.Count; i++)
        {
            Assert.Equal(leads[i].Id, copiedLeads[i].Id);
            Assert.Equal(leads[i].Email, copiedLeads[i].Email);
            Assert.Equal(leads[i].Status, copiedLeads[i].Status);
            Assert.Equal(leads[i].OwnerId, copiedLeads[i].OwnerId);
            Assert.Equal(leads[i].BodyHash, copiedLeads[i].BodyHash);
            // PostgreSQL keeps microseconds; SQLite's text keeps ticks.
            Assert.True(Math.Abs((leads[i].ReceivedAt - copiedLeads[i].ReceivedAt).Ticks) < 10, $"{leads[i].ReceivedAt:O} vs {copiedLeads[i].ReceivedAt:O}");
        }

        var note = await target.LeadActivities.Where(a => a.Text != null && a.Text.Contains("demo")).Select(a => a.Text).SingleAsync();
        Assert.Equal("Called, wants a demo — «ÆØÅ» ✓", note);

        // The indexes set aside during the copy are all back, as the migrations define them.
        var migrated = PostgresServer.Instance.NewDatabase();
        try
        {
            var expected = await IndexesAsync(migrated);
            Assert.Contains(expected, i => i.Contains("gin_trgm_ops", StringComparison.Ordinal));
            Assert.Equal(expected, await IndexesAsync(Postgres));
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(migrated);
        }
    }

    private static async Task<List<string>> IndexesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname", connection);
        var definitions = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            definitions.Add(reader.GetString(0));
        }

        return definitions;
    }
}
