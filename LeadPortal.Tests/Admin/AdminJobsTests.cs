using System.Security.Claims;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Admin;

/// <summary>On SQLite; <see cref="AdminJobsPostgresTests"/> runs the same on PostgreSQL.</summary>
public class AdminJobsTests(LeadPortalFactory app) : IClassFixture<LeadPortalFactory>
{
    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin@leadportal.test")], "test"));

    [StoreFact]
    public async Task Reprocessing_rewrites_parsed_columns_from_the_raw_body_and_keeps_status()
    {
        var client = app.CreateClient();
        var id = long.Parse((await (await client.PostLeadAsync(SampleLeads.Tagged("appsource-contact-me"))).ReadReceiptAsync()).Id);
        await app.QueryAsync(db => db.Leads.Where(l => l.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.Country, "XX").SetProperty(l => l.OfferId, (string?)null).SetProperty(l => l.Status, LeadStatus.Qualified)));
        var job = app.Services.GetRequiredService<ReprocessJob>();
        var batches = 0;
        job.ProgressChanged += () => Interlocked.Increment(ref batches);

        Assert.Null(await job.StartAsync(Admin));
        await job.Current!;

        var lead = await app.QueryAsync(db => db.Leads.SingleAsync(l => l.Id == id));
        Assert.Equal("IE", lead.Country);
        Assert.Equal("contoso.crm-addon", lead.OfferId);
        Assert.Equal(LeadStatus.Qualified, lead.Status);
        var done = await job.GetProgressAsync();
        Assert.False(done.Running);
        Assert.Null(done.Error);
        Assert.Equal(done.Total, done.Processed);
        Assert.Equal(await app.QueryAsync(db => db.Leads.CountAsync()), done.Processed);
        Assert.True(done.Changed >= 1);
        Assert.Equal(0, done.TakenOver);
        Assert.True(batches > 0);
        Assert.Contains(await app.QueryAsync(db => db.AuditLog.Select(a => a.Action).ToListAsync()), a => a == AuditActions.ReprocessFinished);
    }

    [StoreFact]
    public async Task The_purge_removes_only_delivery_log_entries_past_retention()
    {
        var now = DateTime.UtcNow;
        await app.QueryAsync(async db =>
        {
            db.DeliveryLog.AddRange(
                new DeliveryLogEntry { ReceivedAt = now.AddDays(-31), Outcome = DeliveryOutcome.Rejected, StatusCode = 400, Reason = "purge-me" },
                new DeliveryLogEntry { ReceivedAt = now.AddDays(-29), Outcome = DeliveryOutcome.Rejected, StatusCode = 400, Reason = "keep-me" });
            return await db.SaveChangesAsync();
        });

        // The app's own hourly run may purge first (it runs when the app starts, which may be now): what counts is what is left.
        await app.Services.GetRequiredService<DeliveryLogPurger>().PurgeAsync();

        var reasons = await app.QueryAsync(db => db.DeliveryLog.Select(d => d.Reason).ToListAsync());
        Assert.DoesNotContain("purge-me", reasons);
        Assert.Contains("keep-me", reasons);
    }

    [StoreFact]
    public async Task The_purge_takes_thousands_of_expired_entries_in_batches_and_keeps_every_younger_one()
    {
        await using var own = new LeadPortalFactory(app.Provider, TempDatabase.NewPath());
        var now = DateTime.UtcNow;
        await own.QueryAsync(async db =>
        {
            db.DeliveryLog.AddRange(Enumerable.Range(0, 2_500).Select(i => new DeliveryLogEntry
            {
                ReceivedAt = now.AddDays(-40).AddSeconds(i), Outcome = DeliveryOutcome.Unauthorized, StatusCode = 401, Reason = "old",
            }));
            db.DeliveryLog.AddRange(Enumerable.Range(0, 10).Select(i => new DeliveryLogEntry
            {
                ReceivedAt = now.AddDays(-29).AddSeconds(i), Outcome = DeliveryOutcome.Unauthorized, StatusCode = 401, Reason = "young",
            }));
            return await db.SaveChangesAsync();
        });

        var purged = await own.Services.GetRequiredService<DeliveryLogPurger>().PurgeAsync();

        Assert.Equal(2_500, purged);
        Assert.Equal(0, await own.QueryAsync(db => db.DeliveryLog.CountAsync(d => d.Reason == "old")));
        Assert.Equal(10, await own.QueryAsync(db => db.DeliveryLog.CountAsync(d => d.Reason == "young")));
    }

    [StoreFact]
    public async Task The_purge_keeps_the_delivery_log_under_its_size_cap_by_dropping_the_oldest_entries()
    {
        await using var own = new LeadPortalFactory(app.Provider, TempDatabase.NewPath(), new Dictionary<string, string?>
        {
            ["Intake:DeliveryLogMaxMegabytes"] = "1",
        });
        var now = DateTime.UtcNow;
        var body = new string('b', 4_000);
        await own.QueryAsync(async db =>
        {
            // ~2.5 MB of recent entries, none past retention.
            db.DeliveryLog.AddRange(Enumerable.Range(0, 600).Select(i => new DeliveryLogEntry
            {
                ReceivedAt = now.AddMinutes(-600 + i), Outcome = DeliveryOutcome.Rejected, StatusCode = 400, Reason = $"entry {i}", BodyStart = body,
            }));
            return await db.SaveChangesAsync();
        });

        var purged = await own.Services.GetRequiredService<DeliveryLogPurger>().PurgeAsync();

        var kept = await own.QueryAsync(db => db.DeliveryLog.OrderBy(d => d.Id).Select(d => d.Reason!).ToListAsync());
        var bytes = kept.Count * (DeliveryLogPurger.RowOverheadBytes + body.Length) + kept.Sum(r => r.Length);
        Assert.InRange(bytes, 900 * 1024, 1024 * 1024);
        Assert.Equal(600 - kept.Count, purged);
        Assert.Equal("entry 599", kept[^1]);
        Assert.Equal($"entry {600 - kept.Count}", kept[0]);
    }

    [StoreFact]
    public async Task The_delivery_log_pages_newest_first_and_filters_by_outcome()
    {
        var client = app.CreateClient();
        await client.PostLeadAsync("[]");
        await client.PostLeadAsync(SampleLeads.Unique());
        var query = app.Services.GetRequiredService<DeliveryLogQuery>();

        // Refusals are logged off the request's path: wait for this one to be written.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var rejected = await query.GetPageAsync(DeliveryOutcome.Rejected, null, null, 0, 50);
        while (!rejected.Rows.Any(r => r.BodyStart == "[]") && watch.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50);
            rejected = await query.GetPageAsync(DeliveryOutcome.Rejected, null, null, 0, 50);
        }

        var all = await query.GetPageAsync(null, null, null, 0, 1);

        Assert.All(rejected.Rows, r => Assert.Equal(DeliveryOutcome.Rejected, r.Outcome));
        Assert.Contains(rejected.Rows, r => r.Reason!.Contains("not an array", StringComparison.Ordinal) && r.BodyStart == "[]");
        Assert.Equal(DeliveryOutcome.Created, Assert.Single(all.Rows).Outcome);
        Assert.True(all.Total >= 2);
    }
}

[PostgresStore]
public sealed class AdminJobsPostgresTests(PostgresLeadPortalFactory app) : AdminJobsTests(app), IClassFixture<PostgresLeadPortalFactory>;
