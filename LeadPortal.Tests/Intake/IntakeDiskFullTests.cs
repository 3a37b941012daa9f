using System.Net;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Intake;

[Collection(HeavyTests.Name)]
public sealed class IntakeDiskFullTests
{
    [Fact(Timeout = 180_000)]
    public async Task With_the_spool_off_a_full_disk_gets_503_with_retry_after_never_a_2xx_for_an_unstored_lead_and_intake_recovers_when_room_returns()
    {
        using var disk = SmallDisk.Mount(8);
        var database = Path.Combine(disk.Path, "leads.db");
        var acknowledged = new List<long>();
        // The spool would keep such leads elsewhere (IntakeSpoolTests); here the store's own refusal is the point.
        await using (var app = await AppProcess.StartAsync(database, new Dictionary<string, string> { ["Intake__Spool__Enabled"] = "false" }))
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Address) };
            Assert.Equal(HttpStatusCode.Created, (await http.PostLeadAsync(SampleLeads.Unique())).StatusCode);
            var filler = disk.Fill(leaveBytes: 64 * 1024);

            HttpResponseMessage? refused = null;
            for (var i = 0; i < 2_000 && refused is null; i++)
            {
                var response = await http.PostLeadAsync(SampleLeads.Unique() + new string(' ', 2_000));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(long.Parse((await response.ReadReceiptAsync()).Id));
                }
                else
                {
                    refused = response;
                }
            }

            Assert.NotNull(refused);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
            Assert.Contains("disk is full", (await refused.ReadProblemAsync()).GetProperty("detail").GetString());
            var health = await http.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);

            File.Delete(filler);
            Assert.Equal(HttpStatusCode.Created, (await http.PostLeadAsync(SampleLeads.Unique())).StatusCode);
        }

        var stored = await TempDatabase.LeadIdsAsync(database);
        Assert.Subset(stored, acknowledged.ToHashSet());
    }
}
