using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;

namespace LeadPortal.Infrastructure;

/// <summary>Cross-cutting HTTP plumbing: problem details, forwarded headers, error pages, health and OpenAPI.</summary>
public static class WebHosting
{
    public static IHostApplicationBuilder AddWebHosting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(CircuitOriginCheck.Read(builder.Configuration));

        // Behind a reverse proxy (the usual way to give Partner Center an HTTPS address) the client's address
        // and scheme arrive in X-Forwarded-* headers. Only proxies on this machine are trusted by default; a load
        // balancer elsewhere is named in ForwardedHeaders:KnownProxies / KnownNetworks.
        var proxies = ProxySettings.Read(builder.Configuration);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // X-Forwarded-Host decides the host of every absolute link (Location headers, OpenAPI servers, the origin a
            // circuit must come from), so it is believed only for the host names listed in ForwardedHeaders:AllowedHosts.
            // Without a list it is ignored: a proxy that passes Host through (nginx's proxy_set_header Host $host) needs none.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                | (proxies.AllowedHosts.Count > 0 ? ForwardedHeaders.XForwardedHost : ForwardedHeaders.None);
            foreach (var host in proxies.AllowedHosts)
            {
                options.AllowedHosts.Add(host);
            }

            options.ForwardLimit = proxies.ForwardLimit;
            foreach (var proxy in proxies.KnownProxies)
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in proxies.KnownNetworks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return builder;
    }

    public static WebApplication UseWebHosting(this WebApplication app)
    {
        app.UseForwardedHeaders();

        // After forwarded headers, so that the app's own origin is the one the browser sees.
        var circuits = app.Services.GetRequiredService<CircuitOriginCheck>();
        var refusals = new Shared.LogThrottle(app.Services.GetRequiredService<TimeProvider>(), Shared.LogThrottle.DefaultInterval);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CircuitOriginCheck));
        app.Use(async (context, next) =>
        {
            if (CircuitOriginCheck.IsCircuitPath(context.Request.Path) && !circuits.Allows(context.Request))
            {
                // Said once a minute per origin: an attack must not fill the log, and an operator whose proxy rewrites the
                // host or scheme needs to see what was expected.
                var origin = context.Request.Headers.Origin.ToString();
                if (refusals.ShouldLog(origin, out var more))
                {
                    logger.LogWarning(
                        "Refused a browser session from origin {Origin} (Sec-Fetch-Site {Site}): this app's origin is {Own}. Behind a proxy that changes the host or scheme, name the public address in Hosting:PublicOrigins.{More}",
                        origin.Length == 0 ? "(none)" : origin, context.Request.Headers["Sec-Fetch-Site"].ToString(), $"{context.Request.Scheme}://{context.Request.Host}",
                        Shared.LogThrottle.More(more));
                }

                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("A LeadPortal session can only be opened from LeadPortal's own pages.");
                return;
            }

            await next(context);
        });

        // The API answers errors with problem+json; pages get the error and not-found pages.
        app.UseWhen(IsApi, api =>
        {
            api.UseExceptionHandler();
            // A refusal made without a body (401 and 403 from authorization, 404 and 405 from routing, a failed binding)
            // gets a problem+json one too.
            api.UseStatusCodePages();
        });
        app.UseWhen(context => !IsApi(context), pages =>
        {
            if (!app.Environment.IsDevelopment())
            {
                pages.UseExceptionHandler("/Error", createScopeForErrors: true);
            }

            pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        return app;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body, new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
                });
            },
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static bool IsApi(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/healthz");
}

/// <summary>
/// <c>ForwardedHeaders:KnownProxies</c> (addresses), <c>KnownNetworks</c> (CIDR, e.g. <c>10.0.0.0/8</c>) and
/// <c>ForwardLimit</c> (proxies in a row, default 1), and <c>AllowedHosts</c> (the host names an X-Forwarded-Host may
/// name, e.g. <c>leads.contoso.com</c> or <c>*.contoso.com</c>). A value that is not an address stops the start with a
/// message: a typo here would otherwise silently leave every client looking like the proxy.
/// </summary>
public sealed record ProxySettings(IReadOnlyList<System.Net.IPAddress> KnownProxies, IReadOnlyList<System.Net.IPNetwork> KnownNetworks, int ForwardLimit)
{
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    public const string Section = "ForwardedHeaders";

    public static ProxySettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var proxies = new List<System.Net.IPAddress>();
        foreach (var value in Values(section.GetSection("KnownProxies")))
        {
            proxies.Add(System.Net.IPAddress.TryParse(value, out var address)
                ? address
                : throw new InvalidOperationException($"{Section}:KnownProxies holds '{value}', which is not an IP address (e.g. 10.0.0.5)."));
        }

        var networks = new List<System.Net.IPNetwork>();
        foreach (var value in Values(section.GetSection("KnownNetworks")))
        {
            networks.Add(System.Net.IPNetwork.TryParse(value, out var network)
                ? network
                : throw new InvalidOperationException($"{Section}:KnownNetworks holds '{value}', which is not a network in CIDR form (e.g. 10.0.0.0/8)."));
        }

        var limit = section.GetValue<int?>("ForwardLimit") ?? 1;
        if (limit < 1)
        {
            throw new InvalidOperationException($"{Section}:ForwardLimit is {limit}; it counts the proxies in front of LeadPortal (1 or more).");
        }

        var hosts = Values(section.GetSection("AllowedHosts")).ToList();
        foreach (var host in hosts)
        {
            if (host.Contains('/') || host.Contains(' ') || Uri.CheckHostName(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host.Split(':')[0]) == UriHostNameType.Unknown)
            {
                throw new InvalidOperationException($"{Section}:AllowedHosts holds '{host}', which is not a host name (e.g. leads.contoso.com or *.contoso.com).");
            }
        }

        return new ProxySettings(proxies, networks, limit) { AllowedHosts = hosts };
    }

    /// <summary>An array (<c>KnownProxies:0</c>…) or one comma-separated value (handy in an environment variable).</summary>
    private static IEnumerable<string> Values(IConfigurationSection section) =>
        (section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? ""))
        .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
