using System.Net;
using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Intake;

public sealed class IntakeDurabilityTests
{
    [Fact]
    public async Task Acknowledged_leads_are_still_there_after_a_restart()
    {
        var path = TempDatabase.NewPath();
        var ids = new List<string>();
        await using (var first = new LeadPortalFactory(path))
        {
            var client = first.CreateClient();
            foreach (var name in SampleLeads.Names)
            {
                var response = await client.PostLeadAsync(SampleLeads.Tagged(name));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                ids.Add((await response.ReadReceiptAsync()).Id);
            }
        }

        await using var second = new LeadPortalFactory(path);
        var stored = await second.QueryAsync(db => db.Leads.Select(l => l.Id.ToString()).ToListAsync());
        Assert.Equal(ids.Order(), stored.Order());
        var journal = await second.QueryAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync());
        Assert.Equal("wal", journal.Single());

        // The same body after the restart is still recognised as a redelivery.
        var again = await second.CreateClient().PostLeadAsync(await second.QueryAsync(db => db.LeadPayloads.Select(p => p.Body).FirstAsync()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_body_older_than_the_duplicate_window_is_a_new_lead()
    {
        await using var factory = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?> { ["Intake:DuplicateWindow"] = "00:00:00.001" });
        var client = factory.CreateClient();
        var body = SampleLeads.Unique();

        var first = await client.PostLeadAsync(body);
        await Task.Delay(50);
        var second = await client.PostLeadAsync(body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.NotEqual((await first.ReadReceiptAsync()).Id, (await second.ReadReceiptAsync()).Id);
    }

    [Fact]
    public async Task With_no_key_configured_a_key_is_generated_at_first_start_and_only_its_hash_is_kept()
    {
        await using var factory = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?> { ["Intake:BootstrapKey"] = "" });
        factory.CreateClient();

        var keys = await factory.QueryAsync(db => db.IntakeKeys.ToListAsync());

        var key = Assert.Single(keys);
        Assert.Equal("Generated at first start", key.Name);
        Assert.StartsWith(IntakeKeyStore.KeyPrefix, key.Prefix);
        Assert.Equal(32, key.Hash.Length);
        Assert.Null(key.RevokedAt);
    }
}
