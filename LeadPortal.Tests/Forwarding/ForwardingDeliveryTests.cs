using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LeadPortal.Data;
using LeadPortal.Forwarding;
using LeadPortal.Mapping;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Forwarding;

/// <summary>The app with fast retries, shared by the delivery tests (each uses offers and receivers of its own).</summary>
public class ForwardingApp : IAsyncLifetime
{
    public ForwardingApp() : this(StoreProvider.Sqlite)
    {
    }

    protected ForwardingApp(StoreProvider provider) => App = new(provider, TempDatabase.NewPath(), ForwardingTestKit.FastRetries());

    public LeadPortalFactory App { get; }

    public Task InitializeAsync()
    {
        // Started up front (its loops run from then on), unless its store is missing and the tests skip.
        if (App.Provider == StoreProvider.Sqlite || PostgresServer.SkipReason is null)
        {
            App.CreateClient().Dispose();
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class PostgresForwardingApp() : ForwardingApp(StoreProvider.Postgres);

/// <summary>On SQLite; <see cref="ForwardingDeliveryPostgresTests"/> runs the same on PostgreSQL.</summary>
public class ForwardingDeliveryTests(ForwardingApp fixture) : IClassFixture<ForwardingApp>
{
    private LeadPortalFactory App => fixture.App;

    [StoreFact]
    public async Task A_destination_failing_five_times_gets_the_lead_on_the_sixth_attempt_signed_and_with_one_webhook_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 5);
        var offer = ForwardingTestKit.NewOffer();
        var (destinationId, secret) = await App.AddDestinationAsync(receiver.Url, d => d.Offers = offer);
        var body = ForwardingTestKit.Lead(offer);

        var leadId = await App.PostAsync(body);
        var delivered = await receiver.WaitForDeliveryAsync(_ => true);
        var delivery = await App.DeliveryAsync(destinationId, leadId, d => d.Status == OutboxStatus.Done);
        await Task.Delay(500); // long enough for a wrong second send to show up

        var requests = receiver.Requests.ToList();
        Assert.Equal(6, requests.Count);
        Assert.Equal([500, 500, 500, 500, 500, 200], requests.Select(r => r.Answered));
        Assert.All(requests, r => Assert.Equal(delivery.MessageId, r.Id));
        Assert.Single(requests, r => r.Answered == 200);
        Assert.All(requests, r => Assert.True(r.HasValidSignature(secret, out var problem), problem));
        Assert.Equal(body, delivered.Body);
        Assert.Equal("application/json; charset=utf-8", delivered.Headers["Content-Type"].ToString());

        Assert.Equal(6, delivery.Attempts);
        Assert.Equal(200, delivery.LastStatusCode);
        Assert.NotNull(delivery.DeliveredAt);
        var attempts = await App.Store().AttemptsAsync(delivery.Id);
        Assert.Equal([200, 500, 500, 500, 500, 500], attempts.Select(a => a.StatusCode));
        Assert.Contains("receiver failing on purpose", attempts[1].ResponseStart);
        Assert.Equal("{\"received\":true}", attempts[0].ResponseStart);
        Assert.Contains("answered 500", attempts[1].Error);
        // Backoff: each wait at least ~0.9 × the one before doubled (200 ms base), capped at 1 s.
        var gaps = requests.Zip(requests.Skip(1), (a, b) => (b.At - a.At).TotalMilliseconds).ToList();
        Assert.True(gaps[0] >= 150 && gaps[2] >= 600, $"gaps {string.Join(", ", gaps.Select(g => g.ToString("0")))} ms");
    }

    [StoreFact]
    public async Task A_paused_destination_queues_and_holds_its_leads_and_resuming_sends_them()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var offer = ForwardingTestKit.NewOffer();
        var (destinationId, _) = await App.AddDestinationAsync(receiver.Url, d => d.Offers = offer);
        Assert.Null(await App.Store().SetPausedAsync(destinationId, true, App.Admin()));

        var leadId = await App.PostAsync(ForwardingTestKit.Lead(offer));
        var queued = await App.DeliveryAsync(destinationId, leadId);
        await Task.Delay(800);
        Assert.Empty(receiver.Requests);
        Assert.Equal(OutboxStatus.Pending, (await App.DeliveryAsync(destinationId, leadId)).Status);
        Assert.Equal(0, (await App.DeliveryAsync(destinationId, leadId)).Attempts);

        Assert.Null(await App.Store().SetPausedAsync(destinationId, false, App.Admin()));
        var got = await receiver.WaitForDeliveryAsync(r => r.Id == queued.MessageId);
        Assert.Equal(OutboxStatus.Done, (await App.DeliveryAsync(destinationId, leadId, d => d.Status == OutboxStatus.Done)).Status);
        Assert.Single(receiver.Requests);
        Assert.Contains(await App.QueryAsync(db => db.AuditLog.Select(a => a.Action).ToListAsync()), a => a == "forwarding.resumed");
        Assert.NotNull(got);
    }

    [StoreFact]
    public async Task Actions_offers_and_the_test_and_do_not_contact_choices_decide_which_leads_are_queued()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (offerA, offerB, offerC) = (ForwardingTestKit.NewOffer(), ForwardingTestKit.NewOffer(), ForwardingTestKit.NewOffer());
        var (strict, _) = await App.AddDestinationAsync(receiver.Url, d => { d.Offers = $"{offerA}\n{offerB}"; d.Actions = "INS\nDNC"; });
        var (everything, _) = await App.AddDestinationAsync(receiver.Url, d => { d.Offers = $"{offerA}, {offerB}"; d.IncludeTest = true; d.IncludeDoNotContact = true; });

        var install = await App.PostAsync(ForwardingTestKit.Lead(offerA));
        var contactMe = await App.PostAsync(ForwardingTestKit.Lead(offerB, "PLT"));
        var doNotContact = await App.PostAsync(ForwardingTestKit.Lead(offerA, "DNC"));
        var test = await App.PostAsync(ForwardingTestKit.TestLead(offerB));
        var otherOffer = await App.PostAsync(ForwardingTestKit.Lead(offerC));
        await App.DispatchedAsync(install, contactMe, doNotContact, test, otherOffer);
        Assert.True(await App.QueryAsync(db => db.Leads.Where(l => l.Id == test).Select(l => l.IsTest).SingleAsync()));

        async Task<long[]> QueuedAsync(int destinationId) =>
            (await App.QueryAsync(db => db.ForwardDeliveries.Where(d => d.DestinationId == destinationId).Select(d => d.LeadId!.Value).ToListAsync())).Order().ToArray();

        // INS listed, PLT not; DNC listed but do-not-contact leads are out unless chosen; test leads out unless chosen.
        Assert.Equal([install], await QueuedAsync(strict));
        Assert.Equal(new[] { install, contactMe, doNotContact, test }.Order(), await QueuedAsync(everything));
    }

    [StoreFact]
    public async Task A_mapped_body_is_a_json_object_of_the_profiles_columns()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var saved = await App.Services.GetRequiredService<MappingProfileStore>().CopyPresetAsync(Presets.All[0].Key, App.Admin());
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        var profile = (await App.Services.GetRequiredService<MappingProfileStore>().GetAsync(saved.Id!.Value))!;
        var offer = ForwardingTestKit.NewOffer();
        var (destinationId, secret) = await App.AddDestinationAsync(receiver.Url, d => { d.Offers = offer; d.Body = ForwardBody.Mapped; d.MappingProfileId = profile.Id; });

        var body = ForwardingTestKit.Lead(offer);
        var leadId = await App.PostAsync(body);
        var got = await receiver.WaitForDeliveryAsync(_ => true);

        Assert.True(got.HasValidSignature(secret, out var problem), problem);
        using var json = JsonDocument.Parse(got.Body);
        var headers = MappingEngine.Compile(profile.Definition).Mapping!.Headers;
        Assert.Equal(headers, json.RootElement.EnumerateObject().Select(p => p.Name));
        var email = JsonDocument.Parse(body).RootElement.GetProperty("UserDetails").GetProperty("Email").GetString()!;
        Assert.Contains(json.RootElement.EnumerateObject(), p => p.Value.GetString() == email);
        Assert.Contains(json.RootElement.EnumerateObject(), p => p.Value.GetString() == "Fabrikam AB");
        Assert.Equal(OutboxStatus.Done, (await App.DeliveryAsync(destinationId, leadId, d => d.Status == OutboxStatus.Done)).Status);
    }

    [StoreFact]
    public async Task A_mapping_profile_that_makes_a_destinations_body_cannot_be_deleted()
    {
        var profiles = App.Services.GetRequiredService<MappingProfileStore>();
        var saved = await profiles.CopyPresetAsync(Presets.All[^1].Key, App.Admin());
        var (destinationId, _) = await App.AddDestinationAsync("https://hooks.example/mapped", d => { d.Body = ForwardBody.Mapped; d.MappingProfileId = saved.Id; });
        var name = (await App.Store().GetAsync(destinationId))!.Name;

        Assert.Equal([name], await profiles.ForwardedByAsync(saved.Id!.Value));
        Assert.False(await profiles.DeleteAsync(saved.Id!.Value, App.Admin()));
        Assert.NotNull(await profiles.GetAsync(saved.Id!.Value));

        Assert.Null(await App.Store().DeleteAsync(destinationId, App.Admin()));
        Assert.True(await profiles.DeleteAsync(saved.Id!.Value, App.Admin()));
    }

    [StoreFact]
    public async Task Senders_of_several_instances_on_one_store_send_each_delivery_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(20);
        var offer = ForwardingTestKit.NewOffer();
        var (destinationId, _) = await App.AddDestinationAsync(receiver.Url, d => d.Offers = offer);
        Assert.Null(await App.Store().SetPausedAsync(destinationId, true, App.Admin()));
        var leads = new List<long>();
        for (var i = 0; i < 24; i++)
        {
            leads.Add(await App.PostAsync(ForwardingTestKit.Lead(offer)));
        }

        await App.DispatchedAsync([.. leads]);
        // Three more senders with instance names of their own, racing the app's own for the same rows.
        var senders = Enumerable.Range(0, 3).Select(_ => ActivatorUtilities.CreateInstance<ForwardSender>(App.Services, new LeadPortal.Background.InstanceIdentity())).ToList();
        await App.QueryAsync(db => db.ForwardingDestinations.Where(d => d.Id == destinationId).ExecuteUpdateAsync(s => s.SetProperty(d => d.Paused, false)));
        await Task.WhenAll(senders.Select(sender => Task.Run(async () =>
        {
            for (var round = 0; round < 30; round++)
            {
                await sender.SendDueAsync();
                await Task.Delay(5);
            }

            Assert.True(await sender.WaitIdleAsync(TimeSpan.FromSeconds(10)));
        })));
        foreach (var lead in leads)
        {
            await App.DeliveryAsync(destinationId, lead, d => d.Status == OutboxStatus.Done);
        }

        var requests = receiver.Requests.ToList();
        Assert.Equal(24, requests.Count);
        Assert.Equal(24, requests.Select(r => r.Id).Distinct().Count());
        Assert.All(await App.QueryAsync(db => db.ForwardDeliveries.Where(d => d.DestinationId == destinationId).Select(d => d.Attempts).ToListAsync()), a => Assert.Equal(1, a));
    }

    [StoreTheory]
    [InlineData("not a url", "is not an absolute http:// or https:// URL")]
    [InlineData("/relative/hook", "is not an absolute http:// or https:// URL")]
    [InlineData("ftp://files.example.com/hook", "is not an absolute http:// or https:// URL")]
    [InlineData("", "Enter the URL")]
    public async Task A_bad_url_gets_a_clear_message_and_nothing_is_stored(string url, string message)
    {
        var before = await App.QueryAsync(db => db.ForwardingDestinations.CountAsync());
        var auditBefore = await App.QueryAsync(db => db.AuditLog.CountAsync());

        var saved = await App.Store().SaveAsync(null, new DestinationInput { Name = "Bad " + Guid.NewGuid().ToString("N")[..6], Url = url, Secret = "whsec_short" }, App.Admin());

        Assert.False(saved.Succeeded);
        Assert.Contains(saved.Errors, e => e.Contains(message, StringComparison.Ordinal));
        Assert.Contains(saved.Errors, e => e.Contains("bytes", StringComparison.Ordinal) || e.Contains("base64", StringComparison.Ordinal));
        Assert.Equal(before, await App.QueryAsync(db => db.ForwardingDestinations.CountAsync()));
        Assert.Equal(auditBefore, await App.QueryAsync(db => db.AuditLog.CountAsync()));
    }

    [StoreFact]
    public async Task A_test_delivery_is_a_signed_validation_lead_logged_without_a_lead_and_a_failed_one_is_parked()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 1);
        // A Power Automate trigger URL carries its credential in the query (sig=…): it must reach no log line.
        var (destinationId, secret) = await App.AddDestinationAsync(receiver.Url + "?api-version=2016-06-01&sig=topsecret-sig-0451", d => d.Offers = ForwardingTestKit.NewOffer());

        var failed = await App.Store().SendTestAsync(destinationId, App.Admin());
        var sent = await App.Store().SendTestAsync(destinationId, App.Admin());

        Assert.False(failed.Delivered);
        Assert.Equal(500, failed.StatusCode);
        Assert.True(sent.Delivered);
        Assert.Equal(200, sent.StatusCode);
        var got = receiver.Requests.Last();
        Assert.True(got.HasValidSignature(secret, out var problem), problem);
        Assert.Contains("MSFT_TEST_", JsonDocument.Parse(got.Body).RootElement.GetProperty("UserDetails").GetProperty("Email").GetString());
        var (rows, total) = await App.Store().DeliveriesAsync(destinationId, null, 0, 10);
        Assert.Equal(2, total);
        Assert.All(rows, r => Assert.Null(r.LeadId));
        Assert.Equal([OutboxStatus.Done, OutboxStatus.Parked], rows.Select(r => r.Status));
        var name = (await App.Store().GetAsync(destinationId))!.Name;
        Assert.Contains(App.Logs.Lines, l => l.StartsWith("Information LeadPortal.Forwarding.ForwardSender", StringComparison.Ordinal) && l.Contains(name, StringComparison.Ordinal));
        Assert.DoesNotContain(App.Logs.Lines, l => l.Contains("topsecret-sig-0451", StringComparison.Ordinal));
    }

    [StoreFact]
    public async Task A_server_that_answers_with_another_protocols_banner_gets_a_plain_description_not_its_bytes_stored()
    {
        // What a loopback SMTP port says first; a destination pointed at it must not become a way to read it.
        const string banner = "220 mail.internal.example ESMTP Postfix (Debian) banner-7731\r\n";
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                var stream = client.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes(banner), stop.Token);
                _ = await stream.ReadAsync(new byte[4096], stop.Token);
                await stream.WriteAsync("502 5.5.2 Error: command not recognized banner-7731\r\n"u8.ToArray(), stop.Token);
            }
        });
        var (destinationId, _) = await App.AddDestinationAsync($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/hook", d => d.Offers = ForwardingTestKit.NewOffer());

        var outcome = await App.Store().SendTestAsync(destinationId, App.Admin());
        await stop.CancelAsync();
        await serving.ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.False(outcome.Delivered);
        Assert.Equal(ForwardSender.NotHttp, outcome.Error);
        var attempt = Assert.Single(await App.Store().AttemptsAsync(outcome.DeliveryId));
        var delivery = await App.QueryAsync(db => db.ForwardDeliveries.AsNoTracking().SingleAsync(d => d.Id == outcome.DeliveryId));
        Assert.Equal(ForwardSender.NotHttp, attempt.Error);
        Assert.Null(attempt.ResponseStart);
        Assert.Equal(ForwardSender.NotHttp, delivery.LastError);
        Assert.DoesNotContain(App.Logs.Lines, l => l.Contains("banner-7731", StringComparison.Ordinal));
    }
}

[PostgresStore]
public sealed class ForwardingDeliveryPostgresTests(PostgresForwardingApp fixture) : ForwardingDeliveryTests(fixture), IClassFixture<PostgresForwardingApp>;
