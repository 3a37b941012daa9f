using LeadPortal.Outbox;
using Microsoft.Extensions.Options;

namespace LeadPortal.Forwarding;

public static class ForwardingSetup
{
    /// <summary>Forwarding leads to signed webhooks: the dispatcher's handler, the sender, its HTTP client and the admin store.</summary>
    public static IHostApplicationBuilder AddForwarding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardingOptions>()
            .Bind(builder.Configuration.GetSection(ForwardingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ILeadEventHandler, ForwardingHandler>();
        builder.Services.AddSingleton<DestinationSecrets>();
        builder.Services.AddSingleton<ForwardPayloads>();
        builder.Services.AddSingleton<ForwardSender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ForwardSender>());
        builder.Services.AddSingleton<ForwardingStore>();
        builder.Services.AddHttpClient(ForwardSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect would turn the POST into a GET without the body; the destination's URL must be the real one.
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            });
        return builder;
    }

    /// <summary>Syncs the destinations declared in configuration into the table (see <see cref="ForwardingStore.SyncConfigurationAsync"/>).</summary>
    public static async Task EnsureForwardingDestinationsAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ForwardingOptions>>().Value;
        await app.Services.GetRequiredService<ForwardingStore>().SyncConfigurationAsync(options);
    }
}
