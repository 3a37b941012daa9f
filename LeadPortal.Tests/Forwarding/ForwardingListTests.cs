using Bunit;
using LeadPortal.Data;
using LeadPortal.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Forwarding;

/// <summary>On SQLite; <see cref="ForwardingListPostgresTests"/> runs the same on PostgreSQL.</summary>
public class ForwardingListTests : AppBunitBase
{
    public ForwardingListTests() : base(StoreProvider.Sqlite)
    {
    }

    protected ForwardingListTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task Lists_each_destination_with_its_queue_counts_filters_and_a_paused_chip()
    {
        var store = App.Services.GetRequiredService<ForwardingStore>();
        var admin = App.Admin();
        var held = await store.SaveAsync(null, new DestinationInput { Name = "Zapier (held)", Url = "https://hooks.zapier.example/catch/1?token=abc123secret", Actions = "PLT", Offers = "contoso.crm-addon" }, admin);
        var live = await store.SaveAsync(null, new DestinationInput { Name = "Power Automate", Url = "https://flow.example/hook", IncludeTest = true }, admin);
        Assert.Null(await store.SetPausedAsync(held.Id!.Value, true, admin));
        var now = DateTime.UtcNow;
        await using (var db = await App.CreateDbContextAsync())
        {
            // Two parked test deliveries and a delivered one, as the sender leaves them.
            foreach (var status in new[] { OutboxStatus.Parked, OutboxStatus.Parked, OutboxStatus.Done })
            {
                db.ForwardDeliveries.Add(new ForwardDelivery
                {
                    DestinationId = held.Id!.Value, MessageId = WebhookSigner.NewMessageId(), Status = status, Attempts = 3,
                    CreatedAt = now, NextAttemptAt = now, DeliveredAt = status == OutboxStatus.Done ? now : null,
                });
            }

            await db.SaveChangesAsync();
        }

        var cut = RenderPage<ForwardingList>();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("#destination-table tbody tr");
            Assert.Equal(2, rows.Count);
            // Sorted by name: "Power Automate", then "Zapier (held)".
            Assert.Contains("Power Automate", rows[0].TextContent);
            Assert.Contains("Every action · every offer; test leads too", rows[0].TextContent);
            Assert.Empty(rows[0].QuerySelectorAll(".paused-chip"));
            Assert.Contains("never", rows[0].TextContent);
            Assert.Contains("Zapier (held)", rows[1].TextContent);
            Assert.Contains("Paused", rows[1].QuerySelector(".paused-chip")!.TextContent);
            Assert.Contains("Contact me · contoso.crm-addon", rows[1].TextContent);
            Assert.Contains("https://hooks.zapier.example/catch/1?…", rows[1].TextContent);
            Assert.DoesNotContain("abc123secret", cut.Markup);
            var cells = rows[1].QuerySelectorAll("td.num").Select(c => c.TextContent.Trim()).ToList();
            Assert.Equal(["0", "2", "1"], cells);
            Assert.Equal($"/admin/forwarding/{held.Id}?status=Parked", rows[1].QuerySelector("td.num a")!.GetAttribute("href"));
        });
        Assert.True(await App.QueryAsync(db => db.AuditLog.AnyAsync(a => a.Action == "forwarding.paused" && a.Target == "Zapier (held)")));
        Assert.NotNull(live.NewSecret);
    }
}

[PostgresStore]
public sealed class ForwardingListPostgresTests() : ForwardingListTests(StoreProvider.Postgres);
