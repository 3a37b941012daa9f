using LeadPortal.Data.Postgres;
using LeadPortal.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Data;

public static class DataSetup
{
    public static IHostApplicationBuilder AddData(this IHostApplicationBuilder builder)
    {
        var provider = StoreOptions.ProviderFrom(builder.Configuration);
        var configured = builder.Configuration.GetConnectionString("LeadPortal");
        var services = builder.Services;
        switch (provider)
        {
            case StoreProvider.Sqlite:
            {
                var connectionString = SqliteStore.ResolveConnectionString(configured, builder.Environment.ContentRootPath);
                services.AddSingleton(new StoreConnection(StoreProvider.Sqlite, connectionString));
                services.AddSingleton<StoreDialect>(SqliteDialect.Instance);
                // A context per operation: Blazor Server circuits live for hours and must never hold one.
                services.AddDbContextFactory<SqliteLeadPortalDbContext>(options => options.UseLeadPortalSqlite(connectionString));
                services.AddStoreContext<SqliteLeadPortalDbContext>();
                services.AddSingleton<StoreSignals, NoStoreSignals>();
                break;
            }

            case StoreProvider.Postgres:
            {
                if (string.IsNullOrWhiteSpace(configured))
                {
                    throw new InvalidOperationException(
                        "Store:Provider is Postgres but ConnectionStrings:LeadPortal is empty; set it to the server's connection string (\"Host=…;Database=…;Username=…;Password=…\").");
                }

                services.AddSingleton(new StoreConnection(StoreProvider.Postgres, configured));
                services.AddSingleton<StoreDialect>(PostgresDialect.Instance);
                services.AddDbContextFactory<PostgresLeadPortalDbContext>(options => options.UseLeadPortalPostgres(configured));
                services.AddStoreContext<PostgresLeadPortalDbContext>();
                services.AddSingleton<PostgresSignals>();
                services.AddSingleton<StoreSignals>(sp => sp.GetRequiredService<PostgresSignals>());
                services.AddHostedService(sp => sp.GetRequiredService<PostgresSignals>());
                break;
            }

            default:
                throw new InvalidOperationException($"Store:Provider '{provider}' is not supported.");
        }

        services.AddOptions<StoreOptions>()
            .Bind(builder.Configuration.GetSection(StoreOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        return builder;
    }

    /// <summary>The app asks for <see cref="LeadPortalDbContext"/>; this hands it the provider's own context type.</summary>
    private static void AddStoreContext<TContext>(this IServiceCollection services)
        where TContext : LeadPortalDbContext
    {
        services.AddSingleton<IDbContextFactory<LeadPortalDbContext>>(sp => new StoreContextFactory<TContext>(sp.GetRequiredService<IDbContextFactory<TContext>>()));
        // Identity's stores and the data-protection key ring resolve the context per request scope.
        services.AddScoped<LeadPortalDbContext>(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
    }

    /// <summary>
    /// The store-wide start-up lock (<see cref="StoreDialect.AcquireStartupLockAsync"/>): migrations and everything a first
    /// start creates happen under it, so that instances started together on an empty database do them once.
    /// </summary>
    public static async Task<IAsyncDisposable> AcquireStartupLockAsync(this WebApplication app)
    {
        var store = app.Services.GetRequiredService<StoreConnection>();
        var dialect = app.Services.GetRequiredService<StoreDialect>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LeadPortal.Startup");
        var waiting = Task.Delay(TimeSpan.FromSeconds(2));
        var acquire = dialect.AcquireStartupLockAsync(store.ConnectionString);
        if (await Task.WhenAny(acquire, waiting) == waiting)
        {
            logger.LogInformation("Another instance is starting on this store (migrations, first admin and keys); waiting for it.");
        }

        return await acquire;
    }

    /// <summary>
    /// On a SQLite file, holds a shared lock on <c>&lt;file&gt;.in-use</c> for the app's life: a restore, which needs it
    /// exclusively, is refused while any instance runs on the file (and an instance cannot start during a restore).
    /// </summary>
    public static void MarkStoreInUse(this WebApplication app)
    {
        var store = app.Services.GetRequiredService<StoreConnection>();
        if (store.Provider != StoreProvider.Sqlite || new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(store.ConnectionString).DataSource is not { Length: > 0 } path || path == ":memory:")
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        FileStream held;
        try
        {
            held = SqliteBackup.HoldInUse(path);
        }
        catch (IOException)
        {
            throw new InvalidOperationException($"A restore is replacing '{path}' right now; start LeadPortal again when it has finished.");
        }

        app.Lifetime.ApplicationStopped.Register(held.Dispose);
    }

    /// <summary>Applies pending migrations before the app takes any request.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<LeadPortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        await db.Dialect.BeforeMigrateAsync(db);
        await db.Database.MigrateAsync();
        await db.Dialect.PrepareDatabaseAsync(db);
    }

    private sealed class StoreContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<LeadPortalDbContext>
        where TContext : LeadPortalDbContext
    {
        public LeadPortalDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<LeadPortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}

/// <summary>The configured provider and its resolved connection string, for code that talks to the store below EF.</summary>
public sealed record StoreConnection(StoreProvider Provider, string ConnectionString);
