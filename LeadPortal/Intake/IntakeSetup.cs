using LeadPortal.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LeadPortal.Intake;

public static class IntakeSetup
{
    public static IHostApplicationBuilder AddIntake(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IntakeOptions>()
            .Bind(builder.Configuration.GetSection(IntakeOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IntakeKeyStore>();
        builder.Services.AddOptions<SpoolOptions>()
            .Bind(builder.Configuration.GetSection(SpoolOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IntakeSpool>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IntakeSpool>());
        builder.Services.AddSingleton<IStoreFallback>(sp => sp.GetRequiredService<IntakeSpool>());
        builder.Services.AddSingleton<LeadWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LeadWriter>());
        builder.Services.AddHealthChecks().AddCheck<IntakeHealthCheck>("intake");
        builder.Services.AddSingleton<RefusalLimiter>();
        builder.Services.AddSingleton<RefusalLog>();
        // Registered after the writer, so it stops first and its last summaries still reach the writer's queue.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RefusalLog>());

        // Hosting diagnostics log every request URL at Information, and the intake URL carries the key: every logger
        // is created through a factory that redacts it, whatever levels and providers the configuration sets.
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new KeyRedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>()))));
        return builder;
    }

    /// <summary>
    /// With no key in the store: create <c>Intake:BootstrapKey</c> when configured, else generate one and
    /// print the endpoint URL once to the console (only its hash is kept, so it cannot be shown again).
    /// </summary>
    public static async Task EnsureIntakeKeyAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<LeadPortalDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            if (await db.IntakeKeys.AnyAsync())
            {
                return;
            }
        }

        var options = app.Services.GetRequiredService<IOptions<IntakeOptions>>().Value;
        var keys = app.Services.GetRequiredService<IntakeKeyStore>();
        if (!string.IsNullOrWhiteSpace(options.BootstrapKey))
        {
            await keys.CreateAsync("Bootstrap key (Intake:BootstrapKey)", options.BootstrapKey.Trim());
            return;
        }

        var created = await keys.CreateAsync("Generated at first start");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var baseUrl = options.PublicBaseUrl ?? PreferredAddress(app.Services.GetRequiredService<IServer>());
            // Straight to the console, never through ILogger: log sinks must not receive the key.
            Console.Out.WriteLine($"""

                ==== LeadPortal intake endpoint (shown once; only its hash is stored) ====
                Paste this URL into Partner Center's "HTTPS endpoint" lead destination
                (behind your public HTTPS address):
                  {IntakeUrl(baseUrl, created.Secret)}
                ===========================================================================

                """);
        });
    }

    public static string IntakeUrl(string baseUrl, string secret) =>
        $"{baseUrl.TrimEnd('/')}/api/leads?{IntakeEndpoints.KeyParameter}={Uri.EscapeDataString(secret)}";

    private static string PreferredAddress(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ?? addresses.FirstOrDefault()
            ?? "https://your-host";
    }
}
