using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Store;

/// <summary>What PostgreSQL does its own way: the trigram search indexes, and a migration set that matches the model.</summary>
[PostgresStore]
public sealed class PostgresDialectTests : IDisposable
{
    private readonly TestStore _store = new(StoreProvider.Postgres);

    public void Dispose() => _store.Dispose();

    [StoreFact]
    public async Task The_migrations_describe_the_model_as_it_is()
    {
        await using var db = _store.CreateDbContext();
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [StoreFact]
    public async Task A_value_the_server_refuses_is_not_reported_as_an_outage()
    {
        Npgsql.PostgresException refused;
        try
        {
            await _store.QueryAsync(db => db.Database.ExecuteSqlRawAsync("SELECT convert_from('\\x00'::bytea, 'UTF8')"));
            throw new InvalidOperationException("PostgreSQL took U+0000 in text.");
        }
        catch (Npgsql.PostgresException ex)
        {
            refused = ex;
        }

        await using var db = _store.CreateDbContext();
        Assert.Equal("22021", refused.SqlState);
        Assert.False(db.Dialect.IsStoreUnavailable(refused));
        Assert.DoesNotContain("cannot be reached", db.Dialect.DescribeFailure(refused));
        Assert.Contains("refused", db.Dialect.DescribeFailure(refused));
    }

    [StoreFact]
    public async Task A_text_search_is_answered_by_the_search_document_index()
    {
        await _store.AddLeadAsync("marketplace-install", DateTime.UtcNow);
        var plan = await _store.QueryAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            // A handful of rows would be scanned anyway: forbid that, so the plan shows whether the indexes can serve
            // (test leads shown, or the feed index on the test flag is the cheaper start for so few rows).
            await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
            await using var command = LeadQuery.Apply(db, new LeadFilter { Text = "lindq", ShowTest = true }, TimeZoneInfo.Utc).Select(l => l.Id).CreateDbCommand();
            command.CommandText = "EXPLAIN " + command.CommandText;
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }

            return string.Join("\n", lines);
        });

        Assert.Contains("IX_Leads_Search", plan, StringComparison.Ordinal);
        Assert.Equal(["maja.lindqvist@fabrikam.example"], (await new LeadQuery(_store).GetPageAsync(new LeadFilter { Text = "LINDQ" }, LeadSort.Received, true, 0, 10, TimeZoneInfo.Utc)).Rows.Select(r => r.Email));
    }
}
