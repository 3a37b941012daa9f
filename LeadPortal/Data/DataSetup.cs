using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Data;

public static class DataSetup
{
    public static IHostApplicationBuilder AddData(this IHostApplicationBuilder builder)
    {
        var connectionString = SqliteStore.ResolveConnectionString(
            builder.Configuration.GetConnectionString("LeadPortal"), builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(new StoreConnection(connectionString));

        // A context per operation: Blazor Server circuits live for hours and must never hold one.
        builder.Services.AddDbContextFactory<LeadPortalDbContext>(options => options.UseLeadPortalStore(connectionString));
        builder.Services.AddOptions<StoreOptions>()
            .Bind(builder.Configuration.GetSection(StoreOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        return builder;
    }

    /// <summary>Applies pending migrations before the app takes any request.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<LeadPortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await SqliteStore.PrepareDatabaseAsync(db);
    }
}

/// <summary>The resolved connection string, for code that talks to the store below EF (the intake writer).</summary>
public sealed record StoreConnection(string ConnectionString);
