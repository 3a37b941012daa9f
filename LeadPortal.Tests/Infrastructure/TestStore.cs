using LeadPortal.Data;
using LeadPortal.Data.Postgres;
using LeadPortal.Data.Sqlite;
using LeadPortal.Intake;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>
/// A migrated store of its own, for tests of queries and components without the web host: a SQLite file, or a
/// PostgreSQL database copied from the migrated template on the test run's private server.
/// </summary>
public sealed class TestStore : IDbContextFactory<LeadPortalDbContext>, IDisposable
{
    private readonly Func<LeadPortalDbContext> _create;

    public TestStore(StoreProvider provider = StoreProvider.Sqlite)
    {
        Provider = provider;
        if (provider == StoreProvider.Postgres)
        {
            ConnectionString = PostgresServer.Instance.NewDatabase();
            var options = new DbContextOptionsBuilder<PostgresLeadPortalDbContext>().UseLeadPortalPostgres(ConnectionString).Options;
            _create = () => new PostgresLeadPortalDbContext(options);
            // A new database is a new Npgsql data source, which loads the server's types on its first connection
            // (a second or so): done here, so that a component's first query is timed like any other.
            using var warm = CreateDbContext();
            warm.Database.ExecuteSqlRaw("SELECT 1");
            return;
        }

        // A copy of the run's migrated database, as the app leaves its file after migrating (WAL, secure-delete).
        Path = TempDatabase.NewMigratedPath();
        ConnectionString = $"Data Source={Path}";
        var sqlite = new DbContextOptionsBuilder<SqliteLeadPortalDbContext>().UseLeadPortalSqlite(ConnectionString).Options;
        _create = () => new SqliteLeadPortalDbContext(sqlite);
    }

    public StoreProvider Provider { get; }

    /// <summary>The SQLite file (null on PostgreSQL).</summary>
    public string? Path { get; }

    public string ConnectionString { get; }

    public LeadPortalDbContext CreateDbContext() => _create();

    public Task<LeadPortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => Task.FromResult(CreateDbContext());

    /// <summary>Stores a lead parsed from a sample body, received at the given time.</summary>
    /// <remarks>Like the intake writer, adds it to the free-text index afterwards unless <paramref name="index"/> is false.</remarks>
    public Task<Lead> AddLeadAsync(string sample, DateTime receivedAt, Action<Lead>? change = null, bool index = true) =>
        AddLeadBodyAsync(SampleLeads.Tagged(sample), receivedAt, change, index);

    /// <summary>Stores a lead parsed, as intake parses it, from this body.</summary>
    public async Task<Lead> AddLeadBodyAsync(string body, DateTime receivedAt, Action<Lead>? change = null, bool index = true)
    {
        Assert.True(LeadPayloadParser.TryParse(System.Text.Encoding.UTF8.GetBytes(body), out var parsed, out _));
        var lead = new Lead
        {
            ReceivedAt = receivedAt,
            BodyHash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body)),
            Payload = new LeadPayload { Body = body },
        };
        parsed.ApplyTo(lead);
        change?.Invoke(lead);
        await using var db = CreateDbContext();
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        if (index)
        {
            await db.Database.OpenConnectionAsync();
            await db.Dialect.IndexNewLeadsAsync(db.Database.GetDbConnection());
        }

        return lead;
    }

    public async Task<AppUser> AddUserAsync(string email, string displayName)
    {
        var user = new AppUser
        {
            Id = Guid.NewGuid().ToString(),
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            DisplayName = displayName,
            SecurityStamp = Guid.NewGuid().ToString(),
            CreatedAt = DateTime.UtcNow,
        };
        await using var db = CreateDbContext();
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    public async Task<T> QueryAsync<T>(Func<LeadPortalDbContext, Task<T>> query)
    {
        await using var db = CreateDbContext();
        return await query(db);
    }

    public void Dispose()
    {
        if (Provider == StoreProvider.Postgres)
        {
            PostgresServer.Instance.DropDatabase(ConnectionString);
            return;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in TempDatabase.Suffixes)
        {
            try
            {
                File.Delete(Path + suffix);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>A clock that stands still where a test puts it.</summary>
/// <summary>The system clock moved by <see cref="Offset"/>: time passes as usual, and a test can jump it forward (timers stay real).</summary>
public sealed class ShiftedTime : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
