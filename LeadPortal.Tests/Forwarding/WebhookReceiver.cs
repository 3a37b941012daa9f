using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace LeadPortal.Tests.Forwarding;

/// <summary>One request the receiver got, with what it answered.</summary>
public sealed record ReceivedWebhook(HeaderDictionary Headers, string Body, int Answered, DateTime At)
{
    public string Id => Headers["webhook-id"].ToString();

    public string Signature => Headers["webhook-signature"].ToString();

    /// <summary>Checks the signature with the StandardWebhooks package: a second implementation, not the app's own signer.</summary>
    public bool HasValidSignature(string secret, out string? problem)
    {
        try
        {
            new StandardWebhook(secret).Verify(Body, Headers);
            problem = null;
            return true;
        }
        catch (Exception ex)
        {
            problem = ex.Message;
            return false;
        }
    }
}

/// <summary>
/// A real HTTP receiver on loopback (Kestrel): answers <see cref="FailStatus"/> to its first <see cref="FailFirst"/>
/// requests (or to all while <see cref="AlwaysFail"/>), then 200, and records every request's headers and body.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app, int failFirst)
    {
        _app = app;
        _failuresLeft = failFirst;
    }

    public ConcurrentQueue<ReceivedWebhook> Requests { get; } = new();

    public string Url { get; private set; } = "";

    public bool AlwaysFail { get; set; }

    public int FailStatus { get; set; } = 500;

    /// <summary>A <c>Retry-After</c> value sent with each failing answer (seconds or an HTTP date), or none.</summary>
    public string? RetryAfter { get; set; }

    /// <summary>How long each answer takes: keeps deliveries in flight, so a race between senders has time to show.</summary>
    public TimeSpan Delay { get; set; }

    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, failFirst);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = new HeaderDictionary();
            foreach (var (name, value) in context.Request.Headers)
            {
                headers[name] = value;
            }

            if (receiver.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay);
            }

            var fail = receiver.AlwaysFail || Interlocked.Decrement(ref receiver._failuresLeft) >= 0;
            var status = fail ? receiver.FailStatus : 200;
            receiver.Requests.Enqueue(new ReceivedWebhook(headers, body, status, DateTime.UtcNow));
            context.Response.StatusCode = status;
            if (fail && receiver.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            await context.Response.WriteAsync(fail ? $"receiver failing on purpose ({status})" : "{\"received\":true}");
        });
        await app.StartAsync();
        receiver.Url = app.Urls.First().TrimEnd('/') + "/hook";
        return receiver;
    }

    /// <summary>The requests so far that carry this webhook-id or satisfy the predicate.</summary>
    public IReadOnlyList<ReceivedWebhook> Where(Func<ReceivedWebhook, bool> predicate) => Requests.Where(predicate).ToList();

    /// <summary>Waits until a request satisfying the predicate answered 2xx.</summary>
    public async Task<ReceivedWebhook> WaitForDeliveryAsync(Func<ReceivedWebhook, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var hit = Requests.FirstOrDefault(r => r.Answered is >= 200 and < 300 && predicate(r));
            if (hit is not null)
            {
                return hit;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No successful request matched within the time; got {Requests.Count} request(s): {string.Join(", ", Requests.Select(r => r.Answered))}");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
