using System.Net;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Intake;

/// <summary>The free-text index is filled by the intake writer in blocks, after the leads' own commits.</summary>
public sealed class SearchIndexingTests
{
    private static Task<long> IndexedUpToAsync(LeadPortalFactory factory) =>
        factory.QueryAsync(db => db.LeadSearchProgress.Select(p => p.IndexedUpTo).SingleAsync());

    [Fact]
    public async Task Posted_leads_reach_the_search_index_once_intake_is_quiet()
    {
        await using var factory = new LeadPortalFactory(TempDatabase.NewPath());
        var client = factory.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.PostLeadAsync(SampleLeads.Unique())));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var newest = await factory.QueryAsync(db => db.Leads.MaxAsync(l => l.Id));

        for (var i = 0; i < 100 && await IndexedUpToAsync(factory) < newest; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(newest, await IndexedUpToAsync(factory));
        var indexed = await factory.QueryAsync(db => db.Database.SqlQueryRaw<long>("SELECT count(*) AS Value FROM LeadSearch").SingleAsync());
        Assert.Equal(40, indexed);
    }

    [Fact]
    public async Task Leads_left_unindexed_before_a_restart_are_indexed_after_it()
    {
        var path = TempDatabase.NewPath();
        await using (var first = new LeadPortalFactory(path))
        {
            first.CreateClient();

            // Leads stored but not indexed, as after a crash between a commit and its indexing.
            await first.QueryAsync(async db =>
            {
                db.Leads.Add(new Lead { ReceivedAt = DateTime.UtcNow, Company = "Left Behind AB", BodyHash = [1], Payload = new LeadPayload { Body = "{}" } });
                db.Leads.Add(new Lead { ReceivedAt = DateTime.UtcNow, Company = "Also Left AB", BodyHash = [2], Payload = new LeadPayload { Body = "{}" } });
                return await db.SaveChangesAsync();
            });
            Assert.True(await IndexedUpToAsync(first) < await first.QueryAsync(db => db.Leads.MaxAsync(l => l.Id)));
        }

        await using var second = new LeadPortalFactory(path);
        second.CreateClient();
        var newest = await second.QueryAsync(db => db.Leads.MaxAsync(l => l.Id));
        for (var i = 0; i < 100 && await IndexedUpToAsync(second) < newest; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(newest, await IndexedUpToAsync(second));
    }
}
