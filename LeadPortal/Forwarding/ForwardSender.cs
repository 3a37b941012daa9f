using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LeadPortal.Background;
using LeadPortal.Data;
using LeadPortal.Notifications;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Forwarding;

/// <summary>What one attempt got: delivered (a 2xx), or the status or error that says why not.</summary>
/// <param name="RetryAfter">The wait a 429 or 503 answer asked for in <c>Retry-After</c>, as it asked (not yet capped).</param>
public sealed record AttemptOutcome(
    long DeliveryId, bool Delivered, int? StatusCode, string? Error, string? ResponseStart, int DurationMs, TimeSpan? RetryAfter = null)
{
    /// <summary>410 Gone: the receiver says this URL will never take deliveries again (Standard Webhooks, Svix).</summary>
    public bool Gone => StatusCode == (int)HttpStatusCode.Gone;
}

/// <summary>
/// Sends due deliveries: each claimed first with one conditional UPDATE, so of several instances on one store only one
/// sends a given delivery at a time; signed the Standard Webhooks way; every attempt recorded; failures retried with
/// exponential backoff (or after the <c>Retry-After</c> of a 429 or 503, capped by <see cref="ForwardingOptions.MaxRetryDelay"/>)
/// until <see cref="ForwardingOptions.GiveUpAfter"/> after the delivery was queued, then parked. A 410 Gone switches the
/// destination off, parks its queue and alerts the admins. One log line per delivery at Information (its outcome).
/// Woken by the dispatcher; polls as a safety net.
/// </summary>
public sealed class ForwardSender(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    ForwardPayloads payloads,
    DestinationSecrets secrets,
    IHttpClientFactory httpClients,
    IOptionsMonitor<ForwardingOptions> options,
    OutboxSignals signals,
    AdminAlerts alerts,
    InstanceIdentity instance,
    TimeProvider time,
    ILogger<ForwardSender> logger) : BackgroundService
{
    public const string HttpClientName = "Forwarding";
    public const int MaxResponseStart = 1000;

    /// <summary>What an attempt records when the other end spoke something other than HTTP (its bytes are not kept).</summary>
    public const string NotHttp = "The server did not answer HTTP (what it sent back is not an HTTP response, so it is not kept).";

    /// <summary>Why a destination is switched off after a 410.</summary>
    public const string GoneReason = "The receiver answered 410 Gone";

    // The reason phrase is the receiver's text in the error line: a short one is all HTTP needs.
    private const int MaxReasonPhrase = 100;

    // A Retry-After of 0 (or a date already past) from a receiver that keeps saying it must not become a tight loop.
    private static readonly TimeSpan MinRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries in flight at once per instance: a slow destination holds one slot, not the others' turn.</summary>
    public const int Parallelism = 8;

    // A claim outlives the request's timeout, so a delivery is only taken over from an instance that died mid-send.
    private static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(10);

    private readonly SemaphoreSlim _slots = new(Parallelism, Parallelism);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var wait = await SendDueAsync(stoppingToken);
                if (wait > TimeSpan.Zero)
                {
                    await signals.Forwarding.WaitAsync(wait, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Forwarding deliveries failed; they stay queued. Retrying in {Delay}.", ErrorPause);
                await Task.Delay(ErrorPause, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        // The attempts in flight were cancelled with the stopping token and give their deliveries back.
        await WaitIdleAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// Claims as many due deliveries as there are free slots and starts sending them; returns how long to wait before
    /// looking again (zero: look again now). A finished attempt wakes the loop, since it frees a slot.
    /// </summary>
    public async Task<TimeSpan> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var poll = options.CurrentValue.PollInterval;
        var free = _slots.CurrentCount;
        if (free == 0)
        {
            return poll;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var due = await Due(db, now)
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => new { d.Id, Timeout = db.ForwardingDestinations.Where(x => x.Id == d.DestinationId).Select(x => x.TimeoutSeconds).First() })
            .Take(free)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            // Sleep until the next retry falls due, or the poll interval, whichever is sooner. Deliveries another sender
            // holds are its business: their claim running out is noticed by polling.
            var next = await db.ForwardDeliveries
                .Where(d => d.Status == OutboxStatus.Pending && (d.ClaimedUntil == null || d.ClaimedUntil < now)
                    && db.ForwardingDestinations.Any(x => x.Id == d.DestinationId && !x.Paused))
                .MinAsync(d => (DateTime?)d.NextAttemptAt, cancellationToken);
            return next is { } at && at - now < poll ? (at - now < MinWait ? MinWait : at - now) : poll;
        }

        foreach (var candidate in due)
        {
            if (await TryClaimAsync(db, candidate.Id, now, TimeSpan.FromSeconds(candidate.Timeout), cancellationToken))
            {
                await _slots.WaitAsync(cancellationToken);
                _ = Task.Run(() => RunAttemptAsync(candidate.Id, cancellationToken), CancellationToken.None);
            }
        }

        return TimeSpan.Zero;
    }

    /// <summary>Waits until no attempt of this instance is in flight (or the timeout passed); true when idle.</summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (_slots.CurrentCount < Parallelism)
        {
            if (time.GetUtcNow() > deadline)
            {
                return false;
            }

            await Task.Delay(MinWait);
        }

        return true;
    }

    private async Task RunAttemptAsync(long id, CancellationToken cancellationToken)
    {
        try
        {
            await AttemptAsync(id, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: give the delivery back so the next sender need not wait for the claim to run out. The
            // destination may have got it: it comes again with the same webhook-id.
            await ReleaseClaimAsync(id);
        }
        catch (Exception ex)
        {
            // Its claim runs out and it is tried again: at least once, never lost.
            logger.LogError(ex, "Forwarding delivery {DeliveryId} failed unexpectedly; it is tried again when its claim runs out.", id);
        }
        finally
        {
            _slots.Release();
            signals.Forwarding.Set();
        }
    }

    private async Task ReleaseClaimAsync(long id)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var holder = instance.Name;
            await ClaimedQueue.ReleaseAsync(db.ForwardDeliveries, id, holder, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not give back forwarding delivery {DeliveryId}; it is taken again when its claim runs out.", id);
        }
    }

    /// <summary>Deliveries to send now: pending, due, not claimed by a live sender, to a destination that is not paused.</summary>
    private static IQueryable<ForwardDelivery> Due(LeadPortalDbContext db, DateTime now) =>
        ClaimedQueue.Due(db.ForwardDeliveries, now).Where(d => db.ForwardingDestinations.Any(x => x.Id == d.DestinationId && !x.Paused));

    /// <summary>One conditional UPDATE: true when this instance now holds the delivery.</summary>
    private async Task<bool> TryClaimAsync(LeadPortalDbContext db, long id, DateTime now, TimeSpan timeout, CancellationToken cancellationToken)
    {
        return await ClaimedQueue.TryClaimAsync(db.ForwardDeliveries, id, instance.Name, now, now + timeout + ClaimMargin, cancellationToken);
    }

    /// <summary>
    /// "Send test delivery": a synthetic validation lead through the same body, signing and HTTP code, logged as a
    /// delivery without a lead. One attempt, sent now even to a paused destination; a failure is parked, not retried.
    /// </summary>
    public async Task<AttemptOutcome> SendTestAsync(int destinationId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        long id;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var timeout = await db.ForwardingDestinations.Where(d => d.Id == destinationId).Select(d => (int?)d.TimeoutSeconds).SingleOrDefaultAsync(cancellationToken)
                ?? throw new ForwardingException("This destination no longer exists.");
            var delivery = new ForwardDelivery
            {
                DestinationId = destinationId,
                MessageId = WebhookSigner.NewMessageId(),
                Status = OutboxStatus.Pending,
                CreatedAt = now,
                NextAttemptAt = now,
                ClaimedBy = instance.Name,
                ClaimedUntil = now + TimeSpan.FromSeconds(timeout) + ClaimMargin,
            };
            db.ForwardDeliveries.Add(delivery);
            await db.SaveChangesAsync(cancellationToken);
            id = delivery.Id;
        }

        return await AttemptAsync(id, cancellationToken) ?? throw new ForwardingException("The test delivery was taken by another sender.");
    }

    /// <summary>Sends a claimed delivery once and records the attempt; null when the claim was lost meanwhile.</summary>
    private async Task<AttemptOutcome?> AttemptAsync(long deliveryId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var delivery = await db.ForwardDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (delivery is null || delivery.ClaimedBy != instance.Name || delivery.Status != OutboxStatus.Pending)
        {
            return null;
        }

        var destination = await db.ForwardingDestinations.AsNoTracking().SingleAsync(d => d.Id == delivery.DestinationId, cancellationToken);
        var outcome = await PostAsync(db, destination, delivery, cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        db.ForwardAttempts.Add(new ForwardAttempt
        {
            DeliveryId = delivery.Id,
            At = now,
            StatusCode = outcome.StatusCode,
            Error = outcome.Error,
            ResponseStart = outcome.ResponseStart,
            DurationMs = outcome.DurationMs,
        });
        delivery.Attempts++;
        delivery.LastStatusCode = outcome.StatusCode;
        delivery.LastError = outcome.Error;
        delivery.ClaimedBy = null;
        delivery.ClaimedUntil = null;
        if (outcome.Delivered)
        {
            delivery.Status = OutboxStatus.Done;
            delivery.DeliveredAt = now;
            logger.LogInformation("Delivery {MessageId} to {Destination} delivered: {StatusCode} in {DurationMs} ms, attempt {Attempts}.",
                delivery.MessageId, destination.Name, outcome.StatusCode, outcome.DurationMs, delivery.Attempts);
        }
        else if (outcome.Gone)
        {
            // Not the caller's token: the attempt happened, so it is recorded even when the app is stopping.
            await SwitchOffAsync(db, destination, delivery, now, CancellationToken.None);
            return outcome with { DeliveryId = delivery.Id };
        }
        else
        {
            var settings = options.CurrentValue;
            // A test delivery is tried once; Retry-After is obeyed, at least MinRetryAfter and at most the backoff's cap.
            var asked = outcome.RetryAfter is { } retryAfter ? TimeSpan.FromTicks(Math.Max(retryAfter.Ticks, MinRetryAfter.Ticks)) : (TimeSpan?)null;
            var (park, next, wait) = ClaimedQueue.Failed(delivery, delivery.Attempts, now,
                new RetryPolicy(settings.RetryBaseDelay, settings.MaxRetryDelay, settings.GiveUpAfter), hopeless: delivery.LeadId is null, asked);
            if (park)
            {
                delivery.Status = OutboxStatus.Parked;
                logger.LogWarning("Delivery {MessageId} to {Destination} parked after {Attempts} attempts: {Error}",
                    delivery.MessageId, destination.Name, delivery.Attempts, outcome.Error);
            }
            else
            {
                delivery.NextAttemptAt = next;
                // Debug: a retry is not an outcome; the delivery's one Information line comes when it is delivered.
                logger.LogDebug("Delivery {MessageId} to {Destination} failed, attempt {Attempts}: {Error} Next attempt in {Wait}.",
                    delivery.MessageId, destination.Name, delivery.Attempts, outcome.Error, wait);
            }
        }

        // Not the caller's token: the attempt happened, so it is recorded even when the app is stopping.
        await db.SaveChangesAsync(CancellationToken.None);
        return outcome with { DeliveryId = delivery.Id };
    }

    /// <summary>
    /// A 410 Gone: the receiver will never take a delivery at this URL again, so retrying for a day and sending it each new
    /// lead would only be noise. The destination is paused with the reason, everything queued for it is parked (kept
    /// for a replay once someone fixed the receiver) and the admins are told, in one transaction with the attempt.
    /// </summary>
    private async Task SwitchOffAsync(LeadPortalDbContext db, ForwardingDestination destination, ForwardDelivery delivery, DateTime now, CancellationToken cancellationToken)
    {
        delivery.Status = OutboxStatus.Parked;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Conditional, so of two senders that both got a 410 one switches it off and alerts; and one already switched
        // off (a test delivery to it got 410 again) keeps its first time, which was alerted.
        var first = await db.ForwardingDestinations.Where(d => d.Id == destination.Id && d.DisabledAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Paused, true)
                .SetProperty(d => d.DisabledReason, GoneReason)
                .SetProperty(d => d.DisabledAt, now), cancellationToken) == 1;
        var parked = await db.ForwardDeliveries
            .Where(d => d.DestinationId == destination.Id && d.Status == OutboxStatus.Pending && d.Id != delivery.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, OutboxStatus.Parked), cancellationToken);
        var mails = 0;
        if (first)
        {
            mails = await alerts.QueueAsync(db, $"forward-gone:{destination.Id}:{now.Ticks}", $"forwarding to {destination.Name} was switched off",
                $"\"{destination.Name}\" answered 410 Gone at {now:yyyy-MM-dd HH:mm} UTC: its receiver says the URL no longer takes deliveries. " +
                $"It was switched off and what was queued for it was parked ({parked + 1} in all). Fix or replace the receiver, then resume the destination and replay them.",
                $"/admin/forwarding/{destination.Id}", "Open the destination", now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (mails > 0)
        {
            signals.Mail.Set();
        }

        logger.LogWarning("Delivery {MessageId} to {Destination}: the receiver answered 410 Gone. The destination is switched off and {Parked} queued deliveries were parked with this one.",
            delivery.MessageId, destination.Name, parked);
    }

    private async Task<AttemptOutcome> PostAsync(LeadPortalDbContext db, ForwardingDestination destination, ForwardDelivery delivery, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        AttemptOutcome Failed(string error, int? status = null, string? start = null) =>
            new(delivery.Id, false, status, error, start, (int)stopwatch.ElapsedMilliseconds);

        string secret;
        byte[] body;
        try
        {
            secret = secrets.SecretFor(destination);
            body = await payloads.BuildAsync(db, destination, delivery, cancellationToken);
        }
        catch (ForwardingException ex)
        {
            return Failed(ex.Message);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, destination.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("LeadPortal-Forwarding", "1.0"));
        WebhookSigner.AddHeaders(request, secret, delivery.MessageId, time.GetUtcNow(), body);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(destination.TimeoutSeconds));
        try
        {
            var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var start = await ReadStartAsync(response, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return new AttemptOutcome(delivery.Id, true, status, null, start, (int)stopwatch.ElapsedMilliseconds);
            }

            var reason = response.ReasonPhrase is { Length: > MaxReasonPhrase } phrase ? phrase[..MaxReasonPhrase] + "…" : response.ReasonPhrase;
            var retryAfter = RetryAfter(response);
            var asked = retryAfter is { } wait ? $"; it asked to wait {Math.Max(0, wait.TotalSeconds):0} s (Retry-After)" : "";
            return Failed($"The destination answered {status} {reason}".TrimEnd() + asked, status, start) with { RetryAfter = retryAfter };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed($"No answer within {destination.TimeoutSeconds} s.");
        }
        catch (HttpRequestException ex)
        {
            return Failed(Describe(ex));
        }
        catch (BlockedDestinationException ex)
        {
            return Failed(ex.Message);
        }
    }

    /// <summary>
    /// An error for the attempt log, shown to admins. Never the bytes the other end sent when it did not speak HTTP: the
    /// client quotes an invalid status line, and from an SMTP or Redis port that is the service's banner.
    /// </summary>
    private static string Describe(HttpRequestException ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is BlockedDestinationException blocked)
            {
                return blocked.Message;
            }
        }

        return ex.HttpRequestError switch
        {
            HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError or HttpRequestError.ConfigurationLimitExceeded => NotHttp,
            // The client's own words about the connection (refused, reset, no such host, certificate): no received bytes.
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
                => ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message,
            _ => ex.Message,
        };
    }

    /// <summary>The wait a 429 or 503 asks for (<c>Retry-After</c>: seconds, or an HTTP date read against our clock).</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        return header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null);
    }

    /// <summary>The first characters of the answer, for the attempt log; never more than a few KiB read.</summary>
    private static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxResponseStart * 4];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += n;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, read);
            return text.Length == 0 ? null : text.Length > MaxResponseStart ? text[..MaxResponseStart] : text;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }
}
