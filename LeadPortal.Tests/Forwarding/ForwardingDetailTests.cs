using Bunit;
using LeadPortal.Data;
using LeadPortal.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Forwarding;

/// <summary>On SQLite; <see cref="ForwardingDetailPostgresTests"/> runs the same on PostgreSQL.</summary>
public class ForwardingDetailTests : AppBunitBase
{
    public ForwardingDetailTests() : base(StoreProvider.Sqlite)
    {
    }

    protected ForwardingDetailTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task Shows_the_parked_deliveries_of_a_filter_and_replays_one()
    {
        var store = App.Services.GetRequiredService<ForwardingStore>();
        var admin = App.Admin();
        var saved = await store.SaveAsync(null, new DestinationInput { Name = "Make scenario", Url = "https://hook.make.example/abc" }, admin);
        var id = saved.Id!.Value;
        // Paused, so the replayed delivery stays queued instead of being sent to a host that does not exist.
        Assert.Null(await store.SetPausedAsync(id, true, admin));
        var now = DateTime.UtcNow;
        ForwardDelivery parked;
        await using (var db = await App.CreateDbContextAsync())
        {
            parked = new ForwardDelivery
            {
                DestinationId = id, MessageId = WebhookSigner.NewMessageId(), Status = OutboxStatus.Parked, Attempts = 7,
                CreatedAt = now.AddDays(-1), NextAttemptAt = now.AddDays(-1), LastStatusCode = 502, LastError = "The destination answered 502 Bad Gateway",
            };
            db.ForwardDeliveries.Add(parked);
            db.ForwardDeliveries.Add(new ForwardDelivery { DestinationId = id, MessageId = WebhookSigner.NewMessageId(), Status = OutboxStatus.Done, Attempts = 1, CreatedAt = now, NextAttemptAt = now, DeliveredAt = now, LastStatusCode = 200 });
            await db.SaveChangesAsync();
        }

        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo($"/admin/forwarding/{id}?status=Parked");
        Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<ForwardingDetail>(p => p.Add(x => x.Id, id));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Make scenario", cut.Find("#destination-title").TextContent);
            Assert.Equal("Paused", cut.Find("#paused-chip").TextContent);
            var row = Assert.Single(cut.FindAll("tr.forward-delivery-row"));
            Assert.Contains("Parked", row.TextContent);
            Assert.Contains("502 Bad Gateway", row.TextContent);
            Assert.Contains("Replay 1 parked", cut.Find("#replay-parked").TextContent);
        });

        await cut.InvokeAsync(() => cut.Find("tr.forward-delivery-row button.replay-delivery").Click());

        cut.WaitForAssertion(() => Assert.Contains("No parked deliveries", cut.Find("#deliveries-empty").TextContent));
        var replayed = await App.QueryAsync(db => db.ForwardDeliveries.AsNoTracking().SingleAsync(d => d.Id == parked.Id));
        Assert.Equal(OutboxStatus.Pending, replayed.Status);
        Assert.Equal(7, replayed.Attempts);
        Assert.True(replayed.NextAttemptAt > now.AddMinutes(-1));
        Assert.True(await App.QueryAsync(db => db.AuditLog.AnyAsync(a => a.Action == "forwarding.replayed" && a.Target == "Make scenario")));
    }

    [StoreFact]
    public async Task A_destination_switched_off_by_a_410_says_so_with_the_time()
    {
        var store = App.Services.GetRequiredService<ForwardingStore>();
        var saved = await store.SaveAsync(null, new DestinationInput { Name = "Zapier hook", Url = "https://hooks.zapier.example/abc" }, App.Admin());
        var id = saved.Id!.Value;
        var at = new DateTime(2026, 11, 3, 14, 5, 9, DateTimeKind.Utc);
        await App.QueryAsync(db => db.ForwardingDestinations.Where(d => d.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Paused, true)
            .SetProperty(d => d.DisabledReason, ForwardSender.GoneReason)
            .SetProperty(d => d.DisabledAt, at)));

        Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<ForwardingDetail>(p => p.Add(x => x.Id, id));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Switched off", cut.Find("#paused-chip").TextContent);
            var alert = cut.Find("#switched-off").TextContent;
            Assert.Contains("2026-11-03 14:05:09", alert);
            Assert.Contains("The receiver answered 410 Gone", alert);
            Assert.Contains("Resume", cut.Find("#pause-destination").TextContent);
        });
    }
}

[PostgresStore]
public sealed class ForwardingDetailPostgresTests() : ForwardingDetailTests(StoreProvider.Postgres);
