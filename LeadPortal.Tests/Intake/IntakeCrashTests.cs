using System.Net;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Intake;

[Collection(HeavyTests.Name)]
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

        var stored = await TempDatabase.LeadIdsAsync(database);
        Assert.Equal(200, acknowledged.Count);
        Assert.Subset(stored, acknowledged.ToHashSet());
    }
}
