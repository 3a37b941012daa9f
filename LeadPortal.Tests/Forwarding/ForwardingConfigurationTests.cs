using System.ComponentModel.DataAnnotations;
using LeadPortal.Data;
using LeadPortal.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadPortal.Tests.Forwarding;

/// <summary>
/// An app with a destination declared in configuration and a tiny give-up window (one second), so a failing delivery is
/// parked within a few attempts.
/// </summary>
public sealed class ConfiguredForwardingApp : IAsyncLifetime
{
    public const string Name = "CRM middleware (config)";

    public string Offer { get; } = ForwardingTestKit.NewOffer();
    public string Secret { get; } = WebhookSigner.GenerateSecret();
    public WebhookReceiver Receiver { get; private set; } = null!;
    public LeadPortalFactory App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        App = new LeadPortalFactory(TempDatabase.NewPath(), ForwardingTestKit.FastRetries(new()
        {
            ["Forwarding:GiveUpAfter"] = "00:00:01",
            ["Forwarding:Destinations:0:Name"] = Name,
            ["Forwarding:Destinations:0:Url"] = Receiver.Url,
            ["Forwarding:Destinations:0:Secret"] = Secret,
            // One comma-separated value, as an environment variable gives it, rather than a list.
            ["Forwarding:Destinations:0:Offers"] = $"{Offer}, contoso.other",
            ["Forwarding:Destinations:0:Actions:0"] = "INS",
            ["Forwarding:Destinations:0:TimeoutSeconds"] = "5",
        }));
        App.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

public sealed class ForwardingConfigurationTests(ConfiguredForwardingApp fixture) : IClassFixture<ConfiguredForwardingApp>
{
    private LeadPortalFactory App => fixture.App;

    [Fact]
    public async Task A_destination_declared_in_configuration_is_synced_without_its_secret_and_signs_with_the_configured_one()
    {
        var row = await App.QueryAsync(db => db.ForwardingDestinations.AsNoTracking().SingleAsync(d => d.Name == ConfiguredForwardingApp.Name));
        Assert.True(row.FromConfiguration);
        Assert.Null(row.SecretProtected);
        Assert.Equal(fixture.Receiver.Url, row.Url);
        Assert.Equal("INS", row.Actions);
        Assert.Equal($"{fixture.Offer}\ncontoso.other", row.Offers);
        Assert.Equal(5, row.TimeoutSeconds);

        var leadId = await App.PostAsync(ForwardingTestKit.Lead(fixture.Offer));
        var delivery = await App.DeliveryAsync(row.Id, leadId, d => d.Status == OutboxStatus.Done);
        var got = await fixture.Receiver.WaitForDeliveryAsync(r => r.Id == delivery.MessageId);
        Assert.True(got.HasValidSignature(fixture.Secret, out var problem), problem);
        Assert.False(got.HasValidSignature(WebhookSigner.GenerateSecret(), out _));

        // Read-only in the app: no edit, no delete.
        var edit = await App.Store().SaveAsync(row.Id, new DestinationInput { Name = row.Name, Url = "https://elsewhere.example/hook" }, App.Admin());
        Assert.Contains(edit.Errors, e => e.Contains("declared in configuration", StringComparison.Ordinal));
        Assert.NotNull(await App.Store().DeleteAsync(row.Id, App.Admin()));
        Assert.Null(await App.Store().RevealSecretAsync(row.Id, App.Admin()));
    }

    [Fact]
    public async Task A_destination_removed_from_configuration_is_paused_not_deleted()
    {
        var store = App.Store();
        await store.SyncConfigurationAsync(new ForwardingOptions
        {
            Destinations = [new ConfiguredDestination { Name = "Gone soon", Url = fixture.Receiver.Url, Secret = WebhookSigner.GenerateSecret() }],
        });
        var gone = await App.QueryAsync(db => db.ForwardingDestinations.AsNoTracking().SingleAsync(d => d.Name == "Gone soon"));
        Assert.False(gone.Paused);

        // The app's own declaration (from its options) again, without "Gone soon".
        await store.SyncConfigurationAsync(App.Services.GetRequiredService<IOptions<ForwardingOptions>>().Value);

        var after = await App.QueryAsync(db => db.ForwardingDestinations.AsNoTracking().SingleAsync(d => d.Id == gone.Id));
        Assert.True(after.Paused);
        Assert.True(after.FromConfiguration);
        Assert.False((await App.QueryAsync(db => db.ForwardingDestinations.AsNoTracking().SingleAsync(d => d.Name == ConfiguredForwardingApp.Name))).Paused);
        // Its secret is gone with it, so it cannot be resumed until it is declared again; then it is resumed by itself.
        Assert.Contains("no longer declared", await store.SetPausedAsync(gone.Id, false, App.Admin()));
        await store.SyncConfigurationAsync(new ForwardingOptions
        {
            Destinations = [new ConfiguredDestination { Name = "Gone soon", Url = fixture.Receiver.Url, Secret = WebhookSigner.GenerateSecret() }],
        });
        Assert.False((await App.QueryAsync(db => db.ForwardingDestinations.AsNoTracking().SingleAsync(d => d.Id == gone.Id))).Paused);
        await store.SyncConfigurationAsync(App.Services.GetRequiredService<IOptions<ForwardingOptions>>().Value);
    }

    [Fact]
    public async Task A_destination_switched_off_by_a_410_stays_off_at_the_next_start_unless_its_url_changed()
    {
        var store = App.Store();
        ForwardingOptions Declared(string url) => new()
        {
            Destinations = [new ConfiguredDestination { Name = "Gone receiver", Url = url, Secret = WebhookSigner.GenerateSecret() }],
        };
        await store.SyncConfigurationAsync(Declared(fixture.Receiver.Url));
        var row = await App.QueryAsync(db => db.ForwardingDestinations.AsNoTracking().SingleAsync(d => d.Name == "Gone receiver"));
        // As the sender leaves it after a 410.
        await App.QueryAsync(db => db.ForwardingDestinations.Where(d => d.Id == row.Id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Paused, true).SetProperty(d => d.DisabledReason, ForwardSender.GoneReason).SetProperty(d => d.DisabledAt, DateTime.UtcNow)));

        await store.SyncConfigurationAsync(Declared(fixture.Receiver.Url));
        var restarted = await App.QueryAsync(db => db.ForwardingDestinations.AsNoTracking().SingleAsync(d => d.Id == row.Id));
        await store.SyncConfigurationAsync(Declared(fixture.Receiver.Url + "?v=2"));
        var moved = await App.QueryAsync(db => db.ForwardingDestinations.AsNoTracking().SingleAsync(d => d.Id == row.Id));
        await store.SyncConfigurationAsync(App.Services.GetRequiredService<IOptions<ForwardingOptions>>().Value);

        Assert.True(restarted.Paused);
        Assert.Equal(ForwardSender.GoneReason, restarted.DisabledReason);
        Assert.False(moved.Paused);
        Assert.Null(moved.DisabledReason);
        Assert.Null(moved.DisabledAt);
    }

    [Fact]
    public async Task A_delivery_failing_past_the_give_up_window_is_parked_and_a_replay_delivers_it_keeping_its_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysFail = true;
        receiver.FailStatus = 503;
        var offer = ForwardingTestKit.NewOffer();
        var (destinationId, secret) = await App.AddDestinationAsync(receiver.Url, d => d.Offers = offer);

        var leadId = await App.PostAsync(ForwardingTestKit.Lead(offer));
        var parked = await App.DeliveryAsync(destinationId, leadId, d => d.Status == OutboxStatus.Parked);
        // Retried at 200 ms, 400 ms, … until a next try would fall past the window (fewer on a loaded machine, where the first try comes late).
        Assert.InRange(parked.Attempts, 1, 6);
        Assert.Equal(503, parked.LastStatusCode);
        Assert.Equal(1, (await App.Store().GetAsync(destinationId))!.Parked);

        receiver.AlwaysFail = false;
        Assert.Equal(1, await App.Store().ReplayParkedAsync(destinationId, App.Admin()));
        var done = await App.DeliveryAsync(destinationId, leadId, d => d.Status == OutboxStatus.Done);

        Assert.Equal(parked.Attempts + 1, done.Attempts);
        var got = await receiver.WaitForDeliveryAsync(r => r.Id == parked.MessageId);
        Assert.True(got.HasValidSignature(secret, out var problem), problem);
        Assert.All(receiver.Requests, r => Assert.Equal(parked.MessageId, r.Id));
        Assert.Equal(done.Attempts, (await App.Store().AttemptsAsync(done.Id)).Count);
    }

    [Fact]
    public void Configuration_with_a_bad_url_or_secret_is_refused_with_messages_naming_the_entry()
    {
        var options = new ForwardingOptions
        {
            Destinations =
            [
                new ConfiguredDestination { Name = "Zap", Url = "zapier.example/hook", Secret = "secret" },
                new ConfiguredDestination { Name = "zap", Url = "https://ok.example/hook", Secret = WebhookSigner.GenerateSecret(), Body = ForwardBody.Mapped },
            ],
        };

        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        var messages = results.Select(r => r.ErrorMessage).ToList();
        Assert.Contains(messages, m => m!.StartsWith("Forwarding:Destinations:0 (Zap):", StringComparison.Ordinal) && m.Contains("not an absolute http:// or https:// URL"));
        Assert.Contains(messages, m => m!.StartsWith("Forwarding:Destinations:0 (Zap):", StringComparison.Ordinal) && m.Contains("whsec_"));
        Assert.Contains(messages, m => m!.Contains("\"zap\" is used twice"));
        Assert.Contains(messages, m => m!.StartsWith("Forwarding:Destinations:1 (zap):", StringComparison.Ordinal) && m.Contains("MappingProfile"));
    }
}
