using System.Globalization;
using LeadPortal.Data;
using LeadPortal.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Forwarding;

/// <summary>
/// The app on a pinned clock (a retry falls due only when a test moves it on), with mail to a loopback SMTP server for
/// the admins' alerts; retries at most ten minutes apart.
/// </summary>
public class EtiquetteForwardingApp : IAsyncLifetime
{
    public EtiquetteForwardingApp() : this(StoreProvider.Sqlite)
    {
    }

    protected EtiquetteForwardingApp(StoreProvider provider) => Provider = provider;

    public StoreProvider Provider { get; }

    // Whole seconds: an HTTP date has no fractions, so a Retry-After date lands exactly.
    public FixedTime Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    public TestSmtpServer Smtp { get; private set; } = null!;

    public LeadPortalFactory App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Smtp = await TestSmtpServer.StartAsync();
        var settings = ForwardingTestKit.FastRetries(new(Smtp.Settings)
        {
            ["Forwarding:MaxRetryDelay"] = "00:10:00",
            // The sender's retry lines are Debug: shown here, so a test can tell they were written at that level.
            ["Logging:LogLevel:LeadPortal.Forwarding"] = "Debug",
        });
        App = new LeadPortalFactory(Provider, TempDatabase.NewPath(), settings) { Time = Clock };
        if (Provider == StoreProvider.Sqlite || PostgresServer.SkipReason is null)
        {
            App.CreateClient().Dispose();
        }
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class PostgresEtiquetteForwardingApp() : EtiquetteForwardingApp(StoreProvider.Postgres);

/// <summary>
/// How the sender behaves towards a receiver, as Standard Webhooks senders (Svix) do: 410 Gone switches the destination
/// off, Retry-After is obeyed, and a delivery writes one Information line. On SQLite; <see cref="ForwardingEtiquettePostgresTests"/>
/// runs the same on PostgreSQL.
/// </summary>
public class ForwardingEtiquetteTests(EtiquetteForwardingApp fixture) : IClassFixture<EtiquetteForwardingApp>
{
    private LeadPortalFactory App => fixture.App;
    private FixedTime Clock => fixture.Clock;

    [StoreFact]
    public async Task A_410_switches_the_destination_off_parks_its_queue_and_new_leads_and_alerts_the_admins()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysFail = true;
        receiver.FailStatus = 410;
        var offer = ForwardingTestKit.NewOffer();
        var (destinationId, _) = await App.AddDestinationAsync(receiver.Url, d => d.Offers = offer);
        Assert.Null(await App.Store().SetPausedAsync(destinationId, true, App.Admin()));
        var first = await App.PostAsync(ForwardingTestKit.Lead(offer));
        var queued = new[] { await App.PostAsync(ForwardingTestKit.Lead(offer)), await App.PostAsync(ForwardingTestKit.Lead(offer)) };
        await App.DispatchedAsync([first, .. queued]);
        // Only the first is due when the destination resumes; the others wait in its queue.
        var later = Clock.GetUtcNow().UtcDateTime.AddMinutes(30);
        await App.QueryAsync(db => db.ForwardDeliveries.Where(d => d.DestinationId == destinationId && d.LeadId != first)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, later)));
        Assert.Null(await App.Store().SetPausedAsync(destinationId, false, App.Admin()));

        var gone = await App.DeliveryAsync(destinationId, first, d => d.Status == OutboxStatus.Parked);
        var switchedOffAt = Clock.GetUtcNow().UtcDateTime;

        Assert.Equal(1, gone.Attempts);
        Assert.Equal(410, gone.LastStatusCode);
        var destination = (await App.Store().GetAsync(destinationId))!;
        Assert.True(destination.SwitchedOff);
        Assert.True(destination.Paused);
        Assert.Equal(ForwardSender.GoneReason, destination.DisabledReason);
        Assert.Equal(switchedOffAt, destination.DisabledAt);
        foreach (var lead in queued)
        {
            var parked = await App.DeliveryAsync(destinationId, lead);
            Assert.Equal(OutboxStatus.Parked, parked.Status);
            Assert.Equal(0, parked.Attempts);
        }

        // A lead arriving now is parked for it at once, and nothing more is sent, even when every retry is long due.
        var afterwards = await App.PostAsync(ForwardingTestKit.Lead(offer));
        Assert.Equal(OutboxStatus.Parked, (await App.DeliveryAsync(destinationId, afterwards)).Status);
        Clock.Now += TimeSpan.FromHours(2);
        var sender = App.Services.GetRequiredService<ForwardSender>();
        await sender.SendDueAsync();
        Assert.True(await sender.WaitIdleAsync(TimeSpan.FromSeconds(10)));
        Assert.Single(receiver.Requests);

        var alert = await WaitForAsync(() => fixture.Smtp.Messages.FirstOrDefault(m => m.Subject?.Contains(destination.Name, StringComparison.Ordinal) == true));
        Assert.Equal($"LeadPortal alert: forwarding to {destination.Name} was switched off", alert.Subject);
        Assert.Contains("410 Gone", alert.TextBody, StringComparison.Ordinal);
        Assert.Contains($"/admin/forwarding/{destinationId}", alert.TextBody, StringComparison.Ordinal);
        Assert.Equal(1, await App.QueryAsync(db => db.MailOutbox.CountAsync(m => m.DedupKey.StartsWith($"alert:forward-gone:{destinationId}:"))));
        Assert.Contains(App.Logs.Lines, l => l.StartsWith("Warning LeadPortal.Forwarding.ForwardSender", StringComparison.Ordinal)
            && l.Contains(gone.MessageId, StringComparison.Ordinal) && l.Contains("410 Gone", StringComparison.Ordinal));

        // Resuming is the admin's word that the receiver is back: the reason goes, the parked deliveries wait for a replay.
        Assert.Null(await App.Store().SetPausedAsync(destinationId, false, App.Admin()));
        destination = (await App.Store().GetAsync(destinationId))!;
        Assert.False(destination.SwitchedOff);
        Assert.Null(destination.DisabledReason);
        Assert.Equal(4, destination.Parked);
    }

    [StoreTheory]
    [InlineData(429, "120", 120)]
    [InlineData(503, "90", 90)]
    [InlineData(503, "86400", 600)] // capped by Forwarding:MaxRetryDelay (ten minutes here)
    [InlineData(429, "date+300", 300)]
    [InlineData(503, "date+7200", 600)]
    [InlineData(429, "0", 1)] // at least a second, so a receiver saying 0 is not hammered
    public async Task Retry_after_on_a_429_or_503_sets_the_next_attempt_capped_by_the_max_retry_delay(int status, string retryAfter, int expectedSeconds)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysFail = true;
        receiver.FailStatus = status;
        var now = Clock.GetUtcNow();
        receiver.RetryAfter = retryAfter.StartsWith("date+", StringComparison.Ordinal)
            ? now.AddSeconds(int.Parse(retryAfter[5..], CultureInfo.InvariantCulture)).ToString("r", CultureInfo.InvariantCulture)
            : retryAfter;
        var offer = ForwardingTestKit.NewOffer();
        var (destinationId, _) = await App.AddDestinationAsync(receiver.Url, d => d.Offers = offer);

        var leadId = await App.PostAsync(ForwardingTestKit.Lead(offer));
        var delivery = await App.DeliveryAsync(destinationId, leadId, d => d.Attempts == 1);

        Assert.Equal(OutboxStatus.Pending, delivery.Status);
        Assert.Equal(status, delivery.LastStatusCode);
        Assert.Equal(now.UtcDateTime.AddSeconds(expectedSeconds), delivery.NextAttemptAt);
        Assert.Contains("(Retry-After)", delivery.LastError, StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
    }

    [StoreFact]
    public async Task Retry_after_on_another_status_is_not_obeyed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysFail = true;
        receiver.RetryAfter = "300";
        var offer = ForwardingTestKit.NewOffer();
        var (destinationId, _) = await App.AddDestinationAsync(receiver.Url, d => d.Offers = offer);
        var now = Clock.GetUtcNow().UtcDateTime;

        var leadId = await App.PostAsync(ForwardingTestKit.Lead(offer));
        var delivery = await App.DeliveryAsync(destinationId, leadId, d => d.Attempts == 1);

        // The ordinary backoff: 200 ms ± 10 %.
        Assert.InRange((delivery.NextAttemptAt - now).TotalMilliseconds, 179, 221);
        Assert.DoesNotContain("Retry-After", delivery.LastError, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_delivery_retried_once_writes_one_information_line_its_outcome_and_its_retry_at_debug()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 1);
        var offer = ForwardingTestKit.NewOffer();
        var (destinationId, _) = await App.AddDestinationAsync(receiver.Url, d => d.Offers = offer);

        var leadId = await App.PostAsync(ForwardingTestKit.Lead(offer));
        var failed = await App.DeliveryAsync(destinationId, leadId, d => d.Attempts == 1);
        Clock.Now += TimeSpan.FromSeconds(1);
        var delivered = await App.DeliveryAsync(destinationId, leadId, d => d.Status == OutboxStatus.Done);

        Assert.Equal(2, delivered.Attempts);
        // The lines about this delivery: the sender's name its webhook-id, the HTTP client's its URL.
        var lines = App.Logs.Lines
            .Where(l => l.Contains(failed.MessageId, StringComparison.Ordinal) || l.Contains(receiver.Url, StringComparison.Ordinal))
            .ToList();
        var information = Assert.Single(lines, l => l.StartsWith("Information ", StringComparison.Ordinal) || l.StartsWith("Warning ", StringComparison.Ordinal)
            || l.StartsWith("Error ", StringComparison.Ordinal));
        Assert.StartsWith("Information LeadPortal.Forwarding.ForwardSender: ", information, StringComparison.Ordinal);
        Assert.Contains("delivered: 200", information, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("Debug LeadPortal.Forwarding.ForwardSender: ", StringComparison.Ordinal) && l.Contains("answered 500", StringComparison.Ordinal));
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "Not there within 15 s.");
            await Task.Delay(25);
        }
    }
}

[PostgresStore]
public sealed class ForwardingEtiquettePostgresTests(PostgresEtiquetteForwardingApp fixture) : ForwardingEtiquetteTests(fixture), IClassFixture<PostgresEtiquetteForwardingApp>;
