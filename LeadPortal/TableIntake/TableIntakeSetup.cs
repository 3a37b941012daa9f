using Microsoft.Extensions.Options;

namespace LeadPortal.TableIntake;

public static class TableIntakeSetup
{
    /// <summary>Pull intake from Azure Table storage: the poller, its sources' store and credentials, health and metrics.</summary>
    public static IHostApplicationBuilder AddTableIntake(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TableIntakeOptions>()
            .Bind(builder.Configuration.GetSection(TableIntakeOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<TableCredentials>();
        builder.Services.AddSingleton<TableIntakeMetrics>();
        builder.Services.AddSingleton<TablePoller>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TablePoller>());
        builder.Services.AddSingleton<TableSourceStore>();
        builder.Services.AddHealthChecks().AddCheck<TableIntakeHealthCheck>("table-intake");
        return builder;
    }

    /// <summary>Syncs the sources declared in configuration into the table (see <see cref="TableSourceStore.SyncConfigurationAsync"/>).</summary>
    public static async Task EnsureTableSourcesAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TableIntakeOptions>>().Value;
        await app.Services.GetRequiredService<TableSourceStore>().SyncConfigurationAsync(options);
    }
}
