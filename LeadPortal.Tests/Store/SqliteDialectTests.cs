using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Store;

/// <summary>What SQLite does its own way: the free-text index kept outside the lead's commit, and the planner notes.</summary>
public sealed class SqliteDialectTests : IDisposable
{
    private static readonly DateTime Day = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
    private readonly TestStore _store = new();
    private readonly LeadQuery _query;

    public SqliteDialectTests() => _query = new LeadQuery(_store);

    public void Dispose() => _store.Dispose();

    private async Task SeedAsync()
    {
        await _store.AddLeadAsync("marketplace-install", Day);
        await _store.AddLeadAsync("appsource-contact-me", Day.AddDays(-1));
        await _store.AddLeadAsync("portal-create", Day.AddDays(-2));
        await _store.AddLeadAsync("test-drive", Day.AddDays(-3));
        await _store.AddLeadAsync("do-not-contact", Day.AddDays(-4));
        await _store.AddLeadAsync("microsoft-test-lead", Day.AddDays(-5));
        await _store.AddLeadAsync("pii-withheld", Day.AddDays(-6));
    }

    private async Task<List<string?>> EmailsAsync(LeadFilter filter)
    {
        var page = await _query.GetPageAsync(filter, LeadSort.Received, true, 0, 50, TimeZoneInfo.Utc);
        return page.Rows.Select(r => r.Email).ToList();
    }
    [Fact]
    public async Task Free_text_finds_leads_the_index_has_not_reached_yet()
    {
        await SeedAsync();
        await _store.AddLeadAsync("marketplace-install", Day.AddDays(1), l => { l.Email = "fresh.lead@brandnew.example"; l.FirstName = "Fresh"; l.LastName = "Arrival"; }, index: false);
        async Task<long> InIndexAsync() =>
            await _store.QueryAsync(db => db.Database.SqlQueryRaw<long>("SELECT count(*) AS Value FROM LeadSearch WHERE LeadSearch MATCH '\"brandnew\"'").SingleAsync());

        Assert.Equal(0, await InIndexAsync());
        Assert.Equal(["fresh.lead@brandnew.example"], await EmailsAsync(new LeadFilter { Text = "brandnew" }));
        Assert.Equal(["fresh.lead@brandnew.example"], await EmailsAsync(new LeadFilter { Text = "fresh arr" }));
        Assert.Equal(["maja.lindqvist@fabrikam.example"], await EmailsAsync(new LeadFilter { Text = "lindqvist" }));

        await _store.QueryAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            return await db.Dialect.IndexNewLeadsAsync(db.Database.GetDbConnection());
        });

        Assert.Equal(1, await InIndexAsync());
        Assert.Equal(["fresh.lead@brandnew.example"], await EmailsAsync(new LeadFilter { Text = "brandnew" }));
        Assert.Equal(0, await _store.QueryAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            return await db.Dialect.IndexNewLeadsAsync(db.Database.GetDbConnection());
        }));
    }

    [Fact]
    public async Task The_migrations_describe_the_model_as_it_is()
    {
        await using var db = _store.CreateDbContext();
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task New_arrivals_are_looked_up_by_id_without_walking_a_filter_index()
    {
        await SeedAsync();
        var ids = await _store.QueryAsync(db => db.Leads.Select(l => l.Id).ToListAsync());

        // The ids drive the query: no filter index is walked to find them.
        var plan = await _store.QueryAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await using var command = LeadQuery.MatchingAmong(db, new LeadFilter { Country = "SE", Action = "INS" }, ids, TimeZoneInfo.Utc)
                .Select(l => l.Id).CreateDbCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            var details = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                details.Add(reader.GetString(3));
            }

            return string.Join(" | ", details);
        });
        Assert.Contains("MATERIALIZE", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("IX_Leads_Country", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("IX_Leads_ActionCode", plan, StringComparison.Ordinal);
    }
}
