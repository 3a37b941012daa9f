using System.Net;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace LeadPortal.Tests.Intake;

public sealed class IntakeCrashTests
{
    /// <summary>The real app in its own process, killed without warning right after answering.</summary>
    [Fact(Timeout = 120_000)]
    public async Task Every_acknowledged_lead_survives_the_process_being_killed()
    {
        var database = TempDatabase.NewPath();
        var app = await AppProcess.StartAsync(database);
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

        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Leads";
        var stored = new HashSet<long>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetInt64(0));
            }
        }

        Assert.Equal(200, acknowledged.Count);
        Assert.Subset(stored, acknowledged.ToHashSet());
    }
}
