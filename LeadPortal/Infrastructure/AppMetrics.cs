using System.Diagnostics.Metrics;
using LeadPortal.Data;
using LeadPortal.Intake;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace LeadPortal.Infrastructure;

/// <summary>
/// The app's own metrics (meter "LeadPortal"), exported by OpenTelemetry: Prometheus text at <c>/metrics</c> and, when
/// <c>Metrics:OtlpEndpoint</c> is set, OTLP. Counters are counted where things happen; backlogs are sampled.
/// </summary>
public sealed class AppMetrics
{
    public const string MeterName = "LeadPortal";

    public AppMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        LeadsReceived = Meter.CreateCounter<long>("leadportal.leads.received", description: "Leads answered 2xx, by outcome: created, duplicate (a redelivery), spooled (kept locally, store unavailable).");
        LeadsRefused = Meter.CreateCounter<long>("leadportal.leads.refused", description: "Intake requests refused, by reason (unauthorized, throttled, rejected, not_stored).");
        // Seconds, as OpenTelemetry's semantic conventions have every duration (http.server.request.duration too).
        IntakeDuration = Meter.CreateHistogram<double>("leadportal.intake.duration", unit: "s", description: "Time from a lead's arrival to its answer (stored, duplicate or spooled).");
        ExportRows = Meter.CreateCounter<long>("leadportal.export.rows", description: "Rows written to CRM files.");
    }

    public Meter Meter { get; }

    public Counter<long> LeadsReceived { get; }

    public Counter<long> LeadsRefused { get; }

    public Histogram<double> IntakeDuration { get; }

    public Counter<long> ExportRows { get; }
}

/// <summary>
/// Gauges: the intake writer's queue and the spool (read as they are), and the mail and forwarding backlogs and failures
/// (counted in the store every 15 s, not on every scrape).
/// </summary>
public sealed class BacklogMetrics : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private readonly IDbContextFactory<LeadPortalDbContext> _dbFactory;
    private readonly TimeProvider _time;
    private readonly ILogger<BacklogMetrics> _logger;
    private volatile Backlog _backlog = new(0, 0, 0, 0, 0);

    public BacklogMetrics(AppMetrics metrics, LeadWriter writer, IntakeSpool spool, IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time, ILogger<BacklogMetrics> logger)
    {
        _dbFactory = dbFactory;
        _time = time;
        _logger = logger;
        var meter = metrics.Meter;
        meter.CreateObservableGauge("leadportal.writer.queue", () => (long)writer.QueueLength, description: "Intake requests waiting for the writer's next commit.");
        meter.CreateObservableGauge("leadportal.spool.waiting", () => spool.Waiting, description: "Leads kept in the local spool, waiting for the store.");
        meter.CreateObservableGauge("leadportal.mail.backlog", () => _backlog.MailPending, description: "E-mails waiting to be sent.");
        meter.CreateObservableGauge("leadportal.mail.failed", () => _backlog.MailParked, description: "E-mails given up after their retries (parked).");
        meter.CreateObservableGauge("leadportal.forwarding.backlog", () => _backlog.ForwardPending, description: "Forwarding deliveries waiting to be delivered.");
        meter.CreateObservableGauge("leadportal.forwarding.failed", () => _backlog.ForwardParked, description: "Forwarding deliveries given up after their retries (parked).");
        meter.CreateObservableGauge("leadportal.events.backlog", () => _backlog.Events, description: "Lead events not yet dispatched to mail and forwarding.");
    }

    private sealed record Backlog(long MailPending, long MailParked, long ForwardPending, long ForwardParked, long Events);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        do
        {
            try
            {
                await using var db = await _dbFactory.CreateDbContextAsync(stoppingToken);
                _backlog = new Backlog(
                    await db.MailOutbox.LongCountAsync(m => m.Status == OutboxStatus.Pending, stoppingToken),
                    await db.MailOutbox.LongCountAsync(m => m.Status == OutboxStatus.Parked, stoppingToken),
                    await db.ForwardDeliveries.LongCountAsync(d => d.Status == OutboxStatus.Pending, stoppingToken),
                    await db.ForwardDeliveries.LongCountAsync(d => d.Status == OutboxStatus.Parked, stoppingToken),
                    await db.OutboxEvents.LongCountAsync(stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogDebug(ex, "Counting the backlogs for metrics failed; trying again shortly.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serve Prometheus text at <see cref="PrometheusPath"/>. Default true.</summary>
    public bool Prometheus { get; set; } = true;

    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>An OTLP collector to push to as well (e.g. http://otel-collector:4317); none by default.</summary>
    public string? OtlpEndpoint { get; set; }
}

public static class MetricsSetup
{
    public static IHostApplicationBuilder AddMetrics(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new();
        builder.Services.AddSingleton<AppMetrics>();
        builder.Services.AddHostedService<BacklogMetrics>();
        // service.name "leadportal" (not unknown_service:LeadPortal), unless OTEL_SERVICE_NAME (or a service.name in
        // OTEL_RESOURCE_ATTRIBUTES) names it: a service added here would win over the SDK's reading of those.
        var named = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"])
            || (builder.Configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "").Contains("service.name=", StringComparison.Ordinal);
        builder.Services.AddOpenTelemetry().ConfigureResource(resource =>
            {
                if (!named)
                {
                    resource.AddService("leadportal", serviceVersion: typeof(AppMetrics).Assembly.GetName().Version?.ToString());
                }
            })
            .WithMetrics(metrics =>
        {
            // The app's own, and ASP.NET Core's request and Kestrel connection metrics (built in, no instrumentation needed).
            metrics.AddMeter(AppMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
            // Intake answers in milliseconds to a few seconds (a lock wait): buckets that tell 2 ms from 20 ms.
            metrics.AddView("leadportal.intake.duration", new ExplicitBucketHistogramConfiguration
            {
                Boundaries = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 3, 10],
            });
            if (options.Prometheus)
            {
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            }

            if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
            {
                metrics.AddOtlpExporter(o => o.Endpoint = new Uri(options.OtlpEndpoint));
            }
        });
        return builder;
    }

    /// <summary>
    /// <c>GET /metrics</c>, anonymous like <c>/healthz</c>: counts only, no lead data. Keep it off the public internet
    /// at the proxy (README).
    /// </summary>
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IConfiguration>().GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new();
        if (options.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(options.PrometheusPath).AllowAnonymous();
        }

        return app;
    }
}
