using System.Net;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Npgsql;

namespace LeadPortal.Tests.Intake;

/// <summary>The real app in its own processes on one PostgreSQL database: killed without warning, and two writing at once.</summary>
[PostgresStore]
[Collection(HeavyTests.Name)]
public sealed class PostgresIntakeProcessTests : IDisposable
{
    private string? _database;

    private string Database => _database ??= PostgresServer.Instance.NewDatabase();

    public void Dispose()
    {
        if (_database is not null)
        {
            PostgresServer.Instance.DropDatabase(_database);
        }
    }

    [StoreFact(Timeout = 120_000)]
    public async Task Every_acknowledged_lead_survives_the_process_being_killed()
    {
        var app = await AppProcess.StartAsync(StoreProvider.Postgres, Database);
        var acknowledged = new List<long>();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Address) };
            var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => http.PostLeadAsync(SampleLeads.Unique())));
            foreach (var response in responses)
            {
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                acknowledged.Add(long.Parse((await response.ReadReceiptAsync()).Id));
            }
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.Equal(200, acknowledged.Count);
        Assert.Subset(await LeadIdsAsync(), acknowledged.ToHashSet());
    }

    [StoreFact(Timeout = 120_000)]
    public async Task The_same_body_posted_to_two_processes_at_once_is_stored_once_and_every_answer_names_that_lead()
    {
        await using var a = await AppProcess.StartAsync(StoreProvider.Postgres, Database);
        await using var b = await AppProcess.StartAsync(StoreProvider.Postgres, Database);
        using var toA = new HttpClient { BaseAddress = new Uri(a.Address) };
        using var toB = new HttpClient { BaseAddress = new Uri(b.Address) };

        for (var round = 0; round < 5; round++)
        {
            var body = SampleLeads.Unique();
            var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => (i % 2 == 0 ? toA : toB).PostLeadAsync(body)));
            var receipts = new List<(HttpStatusCode Status, string Id, bool Duplicate)>();
            foreach (var response in responses)
            {
                var receipt = await response.ReadReceiptAsync();
                receipts.Add((response.StatusCode, receipt.Id, receipt.Duplicate));
            }

            Assert.Single(receipts, r => r.Status == HttpStatusCode.Created && !r.Duplicate);
            Assert.Equal(49, receipts.Count(r => r.Status == HttpStatusCode.OK && r.Duplicate));
            Assert.Single(receipts.Select(r => r.Id).Distinct());
        }

        Assert.Equal(5, (await LeadIdsAsync()).Count);
    }

    private async Task<HashSet<long>> LeadIdsAsync()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Id" FROM "Leads" """;
        var ids = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
