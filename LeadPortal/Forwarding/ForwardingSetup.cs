using LeadPortal.Outbox;
using Microsoft.Extensions.Options;

namespace LeadPortal.Forwarding;

public static class ForwardingSetup
{
    /// <summary>Forwarding leads to signed webhooks: the dispatcher's handler, the sender, its HTTP client and the admin store.</summary>
    public static IHostApplicationBuilder AddForwarding(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ForwardingOptions.Section);
        builder.Services.AddOptions<ForwardingOptions>()
            .Bind(section)
            .PostConfigure(options => ReadListsGivenAsText(section, options))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ILeadEventHandler, ForwardingHandler>();
        builder.Services.AddSingleton<DestinationSecrets>();
        builder.Services.AddSingleton<ForwardPayloads>();
        builder.Services.AddSingleton<ForwardSender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ForwardSender>());
        builder.Services.AddSingleton<ForwardingStore>();
        builder.Services.AddHttpClient(ForwardSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                var options = services.GetRequiredService<IOptionsMonitor<ForwardingOptions>>();
                return new SocketsHttpHandler
                {
                    // A redirect would turn the POST into a GET without the body; the destination's URL must be the real one
                    // (and a redirect to an internal address would pass the check made for the URL).
                    AllowAutoRedirect = false,
                    // Through a proxy the connect step below would see the proxy's address, not the destination's, and the
                    // proxy would reach internal hosts on our behalf: forwarding connects directly.
                    UseProxy = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    ConnectCallback = (context, cancellationToken) =>
                        DestinationAddresses.ConnectAsync(context, options.CurrentValue.AllowPrivateNetworks, cancellationToken),
                };
            });

        // The sender writes one line per delivery; the client's own four lines per attempt (start, send, headers, end)
        // would bury it. Its warnings still show, and a more specific Logging:LogLevel entry turns the rest back on.
        builder.Logging.AddFilter($"System.Net.Http.HttpClient.{ForwardSender.HttpClientName}", LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// Actions and Offers may also be one comma-separated value (<c>Forwarding__Destinations__0__Actions=INS,PLT</c>): the
    /// binder silently skips a plain value for a list, which would forward every action instead of the ones named.
    /// </summary>
    private static void ReadListsGivenAsText(IConfigurationSection section, ForwardingOptions options)
    {
        for (var i = 0; i < options.Destinations.Count; i++)
        {
            var declared = section.GetSection($"Destinations:{i}");
            if (options.Destinations[i] is not { } destination)
            {
                continue;
            }

            if (declared["Actions"] is { Length: > 0 } actions)
            {
                destination.Actions = [actions];
            }

            if (declared["Offers"] is { Length: > 0 } offers)
            {
                destination.Offers = [offers];
            }
        }
    }

    /// <summary>Syncs the destinations declared in configuration into the table (see <see cref="ForwardingStore.SyncConfigurationAsync"/>).</summary>
    public static async Task EnsureForwardingDestinationsAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ForwardingOptions>>().Value;
        await app.Services.GetRequiredService<ForwardingStore>().SyncConfigurationAsync(options);
    }
}
