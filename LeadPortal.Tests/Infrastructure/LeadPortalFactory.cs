using System.Collections.Concurrent;
using LeadPortal.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>
/// The whole app on a temporary SQLite file (or, with <see cref="StoreProvider.Postgres"/>, a database of its own on the
/// test run's PostgreSQL server), built by its real migrations.
/// </summary>
public class LeadPortalFactory : WebApplicationFactory<Program>
{
    public const string IntakeKey = "lpk_test-intake-key-0123456789abcdefghijklmnopqrstuv";
    public const string AdminEmail = "admin@leadportal.test";
    public const string AdminPassword = "Admin-Passw0rd!";

    private readonly Dictionary<string, string?> _settings;
    private bool _ownsDatabase;

    public LeadPortalFactory() : this(TempDatabase.NewPath())
    {
    }

    internal LeadPortalFactory(string databasePath, IDictionary<string, string?>? settings = null)
        : this(StoreProvider.Sqlite, databasePath, settings)
    {
    }

    /// <param name="databasePath">The SQLite file (ignored on PostgreSQL, where a new database is made on first use).</param>
    internal LeadPortalFactory(StoreProvider provider, string databasePath, IDictionary<string, string?>? settings = null)
    {
        Provider = provider;
        DatabasePath = databasePath;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:LeadPortal"] = $"Data Source={databasePath}",
            ["Intake:BootstrapKey"] = IntakeKey,
            ["Bootstrap:AdminEmail"] = AdminEmail,
            ["Bootstrap:AdminPassword"] = AdminPassword,
            // Each app's intake spool in a folder of its own, removed with it (the app's default is under its own folder).
            ["Intake:Spool:Path"] = SpoolPath,
            // Test receivers listen on loopback, which the app refuses by default; the tests of that refusal set false.
            ["Forwarding:AllowPrivateNetworks"] = "true",
            // Uploads for import in the run's folder, not in the app's App_Data.
            ["Import:Folder"] = TestTemp.NewPath("imports-"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public StoreProvider Provider { get; }

    /// <summary>
    /// A SQLite app whose file does not exist yet starts on a copy of a database migrated once per test run (10 ms instead
    /// of 0.6–3 s of migrations). Tests of what the app does to a new or old file set this false, or bring their file.
    /// </summary>
    public bool FromMigratedTemplate { get; init; } = true;

    /// <summary>The app's clock, when a test pins it (the system clock otherwise).</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>The intake spool folder this app was given by default.</summary>
    public string SpoolPath { get; } = TestTemp.NewPath("spool-");

    /// <summary>The SQLite file the app runs on (SQLite only).</summary>
    public string DatabasePath { get; }

    /// <summary>The PostgreSQL database the app runs on, once it has started (PostgreSQL only).</summary>
    public string? PostgresConnectionString { get; private set; }

    /// <summary>Every log line the app wrote, at every level.</summary>
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (Provider == StoreProvider.Postgres)
        {
            // Made when the app first starts, so that a class whose tests all skip needs no server; or one given.
            if (PostgresConnectionString is null && _settings.GetValueOrDefault("ConnectionStrings:LeadPortal") is { } given && given.StartsWith("Host=", StringComparison.Ordinal))
            {
                PostgresConnectionString = given;
            }
            else if (PostgresConnectionString is null)
            {
                PostgresConnectionString = PostgresServer.Instance.NewDatabase();
                _ownsDatabase = true;
            }

            _settings["Store:Provider"] = "Postgres";
            _settings["ConnectionStrings:LeadPortal"] = PostgresConnectionString;
        }
        else if (FromMigratedTemplate && _settings.GetValueOrDefault("ConnectionStrings:LeadPortal") == $"Data Source={DatabasePath}" && !File.Exists(DatabasePath))
        {
            // A copy of a database migrated once per run: the app's own migration then finds nothing to apply.
            TempDatabase.CopyMigratedTemplate(DatabasePath);
        }

        // Outside Development the framework serves only published assets; tests run from the build output.
        builder.UseStaticWebAssets();
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(Logs);
        });
        if (Time is { } time)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }
    }

    /// <summary>The app's address once <see cref="StartKestrel"/> put it on a real port; null on the test server.</summary>
    public Uri? KestrelAddress { get; private set; }

    /// <summary>
    /// Starts the app on a real port (Kestrel), for what only a real server does: refuse a header that is not ASCII,
    /// notice a client that hangs up. Clients made by <see cref="BrowserlessSignIn.CreateCookieClient"/> then go there.
    /// </summary>
    public Uri StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        KestrelAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
        return KestrelAddress;
    }

    public async Task<LeadPortalDbContext> CreateDbContextAsync()
    {
        var factory = Services.GetRequiredService<IDbContextFactory<LeadPortalDbContext>>();
        return await factory.CreateDbContextAsync();
    }

    public async Task<T> QueryAsync<T>(Func<LeadPortalDbContext, Task<T>> query)
    {
        await using var db = await CreateDbContextAsync();
        return await query(db);
    }

    /// <summary>The newest delivery log row after <paramref name="afterId"/>: refusals are logged without the answer waiting for it.</summary>
    public async Task<DeliveryLogEntry> NextDeliveryAsync(long afterId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var entry = await QueryAsync(db => db.DeliveryLog.Where(d => d.Id > afterId).OrderByDescending(d => d.Id).FirstOrDefaultAsync());
            if (entry is not null)
            {
                return entry;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No delivery log row after {afterId} within 10 s.");
            await Task.Delay(20);
        }
    }

    /// <summary>The id of the newest delivery log row (0 when there is none).</summary>
    public async Task<long> LastDeliveryIdAsync() => await QueryAsync(db => db.DeliveryLog.MaxAsync(d => (long?)d.Id)) ?? 0;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(SpoolPath))
        {
            Directory.Delete(SpoolPath, recursive: true);
        }

        if (PostgresConnectionString is { } database && _ownsDatabase)
        {
            PostgresServer.Instance.DropDatabase(database);
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>The whole app on a PostgreSQL database of its own (a class fixture for <see cref="PostgresStoreAttribute"/> classes).</summary>
public sealed class PostgresLeadPortalFactory() : LeadPortalFactory(StoreProvider.Postgres, "");

public static class TempDatabase
{
    /// <summary>The files SQLite and the app keep beside a database file.</summary>
    public static readonly string[] Suffixes = ["", "-wal", "-shm", ".startup-lock", ".in-use"];

    /// <summary>Deletes a database file and every file kept beside it.</summary>
    public static void Delete(string databasePath)
    {
        foreach (var suffix in Suffixes)
        {
            try
            {
                File.Delete(databasePath + suffix);
            }
            catch (IOException)
            {
                // Still open somewhere: left to the temp folder's cleanup.
            }
        }
    }

    /// <summary>The ids of the leads in a database file, read on a connection of its own (the app may be gone).</summary>
    public static async Task<HashSet<long>> LeadIdsAsync(string databasePath)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Leads";
        var ids = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static readonly Lazy<string> Template = new(CreateTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A new path holding a copy of the run's migrated database (see <see cref="CopyMigratedTemplate"/>).</summary>
    public static string NewMigratedPath()
    {
        var path = NewPath();
        CopyMigratedTemplate(path);
        return path;
    }

    /// <summary>
    /// Puts a copy of a database migrated as the app migrates its own (migrations, then WAL and the search index's
    /// secure-delete) at <paramref name="path"/>. Migrating 27 migrations costs 0.6 s on a quiet machine and 2–3 s under
    /// the suite's load; a copy of the 0.5 MB result costs ~10 ms.
    /// </summary>
    public static void CopyMigratedTemplate(string path) => File.Copy(Template.Value, path);

    private static string CreateTemplate()
    {
        var path = TestTemp.NewPath("template-", ".db");
        // No pooling: when the context goes, its connection closes, SQLite checkpoints the write-ahead log into the file
        // and removes it, so the one file is the whole database.
        using (var db = LeadPortal.Data.Sqlite.SqliteStore.CreateContext($"Data Source={path};Pooling=False"))
        {
            db.Dialect.BeforeMigrateAsync(db).GetAwaiter().GetResult();
            db.Database.Migrate();
            db.Dialect.PrepareDatabaseAsync(db).GetAwaiter().GetResult();
        }

        if (File.Exists(path + "-wal"))
        {
            throw new InvalidOperationException($"The migrated template {path} kept its write-ahead log; a copy of the file alone would miss part of it.");
        }

        return path;
    }

    public static string NewPath() => TestTemp.NewPath("", ".db");
}

/// <summary>A log provider of the tests' own; its alias lets a test set provider-specific levels (<c>Logging:Captured:LogLevel</c>).</summary>
[ProviderAlias("Captured")]
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
