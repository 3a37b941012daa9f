using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadPortal.Tests.TableIntake;

/// <summary>
/// A small Kestrel reverse proxy on loopback in front of Azurite, so that a test can make the table service busy (503
/// with Retry-After) or slow, as Azure is under load. The shared-key signature covers the path, not the host, so the
/// app's requests pass through it unchanged.
/// </summary>
public sealed class TableServiceProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
    private int _busyAnswers;
    private int _requests;

    private TableServiceProxy(int targetPort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(context => ForwardAsync(context, targetPort));
    }

    /// <summary>While true, every request is answered 503 ServerBusy with <c>Retry-After: 1</c>.</summary>
    public bool Busy { get; set; }

    /// <summary>A wait before each request is passed on (a slow service), so a test can act while a read is under way.</summary>
    public TimeSpan Delay { get; set; }

    public int BusyAnswers => Volatile.Read(ref _busyAnswers);

    public int Requests => Volatile.Read(ref _requests);

    public int Port { get; private set; }

    public static async Task<TableServiceProxy> StartAsync(int targetPort)
    {
        var proxy = new TableServiceProxy(targetPort);
        await proxy._app.StartAsync();
        var address = proxy._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Port = new Uri(address).Port;
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context, int targetPort)
    {
        Interlocked.Increment(ref _requests);
        if (Busy)
        {
            Interlocked.Increment(ref _busyAnswers);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"odata.error":{"code":"ServerBusy","message":{"lang":"en-US","value":"The server is busy."}}}""");
            return;
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }

        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method),
            new Uri($"http://127.0.0.1:{targetPort}{context.Request.Path}{context.Request.QueryString}"));
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }
}
