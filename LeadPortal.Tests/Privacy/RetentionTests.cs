using System.Security.Claims;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Privacy;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Privacy;

/// <summary>Lead retention on SQLite; <see cref="RetentionPostgresTests"/> runs the same on PostgreSQL.</summary>
public class RetentionTests : StoreAppTests
{
    public RetentionTests() : base(StoreProvider.Sqlite)
    {
    }

    protected RetentionTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task Retention_removes_exactly_the_expired_leads_with_what_refers_to_them_and_nothing_of_a_younger_one()
    {
        await using var app = NewApp();
        var client = app.CreateClient();
        var ids = new List<long>();
        foreach (var sample in new[] { "marketplace-install", "appsource-contact-me", "test-drive" })
        {
            ids.Add(long.Parse((await (await client.PostLeadAsync(SampleLeads.Tagged(sample))).ReadReceiptAsync()).Id));
        }

        // The first two arrived 7 and 6 months and a day ago; the third 5 months ago.
        var now = DateTime.UtcNow;
        await app.QueryAsync(db => db.Leads.Where(l => l.Id == ids[0]).ExecuteUpdateAsync(s => s.SetProperty(l => l.ReceivedAt, now.AddMonths(-7))));
        await app.QueryAsync(db => db.Leads.Where(l => l.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(l => l.ReceivedAt, now.AddMonths(-6).AddDays(-1))));
        await app.QueryAsync(db => db.Leads.Where(l => l.Id == ids[2]).ExecuteUpdateAsync(s => s.SetProperty(l => l.ReceivedAt, now.AddMonths(-5))));
        var adminId = await app.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync());
        var workflow = app.Services.GetRequiredService<LeadWorkflow>();
        foreach (var id in ids)
        {
            await workflow.AddNoteAsync(id, $"Note on {id}", adminId);
        }

        await app.QueryAsync(async db =>
        {
            var run = new ExportRun { At = now.AddMonths(-7), ProfileName = "HubSpot", FilterDescription = "Search: lindqvist", FilterQuery = "?q=lindqvist", RowCount = 3 };
            db.ExportRuns.Add(run);
            await db.SaveChangesAsync();
            db.ExportRunLeads.AddRange(ids.Select(id => new ExportRunLead { ExportRunId = run.Id, LeadId = id }));
            return await db.SaveChangesAsync();
        });
        var retention = app.Services.GetRequiredService<Retention>();
        Assert.Equal(0, (await retention.PurgeAsync()).Leads); // off by default

        await retention.SetMonthsAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, adminId)], "test")), 6);
        Assert.Equal(2, await retention.CountExpiredAsync(6));
        var result = await retention.PurgeAsync();

        Assert.Equal(2, result.Leads);
        Assert.Equal([ids[2]], await app.QueryAsync(db => db.Leads.Select(l => l.Id).ToListAsync()));
        Assert.Equal([ids[2]], await app.QueryAsync(db => db.LeadPayloads.Select(p => p.LeadId).ToListAsync()));
        Assert.Equal([ids[2]], await app.QueryAsync(db => db.LeadActivities.Select(a => a.LeadId).Distinct().ToListAsync()));
        Assert.Equal([ids[2]], await app.QueryAsync(db => db.ExportRunLeads.Select(r => r.LeadId).ToListAsync()));
        var run = await app.QueryAsync(db => db.ExportRuns.SingleAsync());
        Assert.Equal(3, run.RowCount); // the history keeps its row
        Assert.DoesNotContain("lindqvist", run.FilterQuery + run.FilterDescription, StringComparison.OrdinalIgnoreCase);

        // The inbox's kept totals and the search agree with what is left.
        var query = app.Services.GetRequiredService<LeadQuery>();
        Assert.Equal(1, (await query.GetPageAsync(new LeadFilter { ShowTest = true }, LeadSort.Received, true, 0, 50, TimeZoneInfo.Utc)).Total);
        Assert.Empty((await query.GetPageAsync(new LeadFilter { Text = "lindqvist", ShowTest = true }, LeadSort.Received, true, 0, 50, TimeZoneInfo.Utc)).Rows);
        Assert.Contains(await app.QueryAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.RetentionPurged).Select(a => a.Details).ToListAsync()),
            d => d!.StartsWith("2 lead(s)", StringComparison.Ordinal));

        // Off again: nothing more goes.
        await retention.SetMonthsAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, adminId)], "test")), null);
        Assert.Equal(0, (await retention.PurgeAsync()).Leads);
    }
}

[PostgresStore]
public sealed class RetentionPostgresTests() : RetentionTests(StoreProvider.Postgres);
