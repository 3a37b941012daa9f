using LeadPortal.Outbox;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Outbox;

public sealed class LeadEventDispatcherTests
{
    [Fact]
    public async Task An_instance_stopped_cleanly_lets_the_dispatch_lease_go_so_the_next_one_need_not_wait_it_out()
    {
        var database = TempDatabase.NewPath();
        string holder;
        await using (var first = new LeadPortalFactory(database))
        {
            await first.CreateClient().PostLeadAsync(SampleLeads.Unique());
            var watch = System.Diagnostics.Stopwatch.StartNew();
            string? held;
            while ((held = await first.QueryAsync(db => db.JobLeases.Where(l => l.Name == LeadEventDispatcher.LeaseName && l.Until > DateTime.UtcNow)
                       .Select(l => l.Holder).SingleOrDefaultAsync())) is null)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "The dispatcher never took its lease.");
                await Task.Delay(20);
            }

            holder = held;
        }

        // The same store, opened again: the lease row is still the first instance's, and already run out.
        await using var second = new LeadPortalFactory(database);
        second.CreateClient();
        var lease = await second.QueryAsync(db => db.JobLeases.AsNoTracking().SingleAsync(l => l.Name == LeadEventDispatcher.LeaseName));
        Assert.True(lease.Holder != holder || lease.Until < DateTime.UtcNow, $"{lease.Holder} still holds the lease until {lease.Until:O}.");
    }
}
