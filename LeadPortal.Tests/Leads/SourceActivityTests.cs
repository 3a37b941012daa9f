using Bunit;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Leads;

/// <summary>The dashboard's "Where leads come from", on SQLite; <see cref="SourceActivityPostgresTests"/> on PostgreSQL.</summary>
public class SourceActivityTests : BunitTestBase
{
    private static readonly DateTime Now = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);

    public SourceActivityTests() : this(StoreProvider.Sqlite)
    {
    }

    protected SourceActivityTests(StoreProvider provider) : base(provider)
    {
        Time.Now = new DateTimeOffset(Now);
    }

    /// <summary>
    /// The endpoint last delivered 4 days ago (a test lead since does not count); the Marketplace table 12 leads since;
    /// a paused table and imports are quiet on purpose.
    /// </summary>
    private async Task ArrangeAsync()
    {
        await Store.QueryAsync(async db =>
        {
            db.TableSources.Add(new TableSource { Name = "Marketplace", CreatedAt = Now.AddDays(-30) });
            db.TableSources.Add(new TableSource { Name = "Old table", CreatedAt = Now.AddDays(-30), Paused = true });
            db.ImportRuns.Add(new ImportRun { FileName = "march.csv", State = ImportState.Imported, FinishedAt = Now.AddDays(-1), Imported = 5, CreatedAt = Now.AddDays(-1) });
            db.ImportRuns.Add(new ImportRun { FileName = "undone.csv", State = ImportState.Undone, FinishedAt = Now.AddHours(-2), Imported = 40, CreatedAt = Now.AddHours(-3) });
            return await db.SaveChangesAsync();
        });
        await Store.AddLeadAsync("marketplace-install", Now.AddDays(-8));
        await Store.AddLeadAsync("marketplace-install", Now.AddDays(-4).AddHours(-3));
        await Store.AddLeadAsync("microsoft-test-lead", Now.AddHours(-1));
        for (var i = 0; i < 12; i++)
        {
            await Store.AddLeadAsync("appsource-contact-me", Now.AddHours(-6 * i - 1), Table("Marketplace"));
        }

        await Store.AddLeadAsync("appsource-contact-me", Now.AddDays(-20), Table("Old table"));
    }

    private static Action<Lead> Table(string name) => lead =>
    {
        lead.Origin = LeadOrigin.Table;
        lead.OriginName = name;
        lead.OriginKey = Guid.NewGuid().ToString("N");
    };

    [StoreFact]
    public async Task Each_source_shows_its_last_lead_and_recent_count_and_a_silent_endpoint_is_named_beside_the_busy_table()
    {
        await ArrangeAsync();

        var data = await Services.GetRequiredService<SourceActivity>().GetAsync();

        Assert.Equal(
            [
                (SourceActivity.Endpoint, (DateTime?)Now.AddDays(-4).AddHours(-3), 1, false),
                ("Azure Table \u201cMarketplace\u201d", Now.AddHours(-1), 12, false),
                ("Azure Table \u201cOld table\u201d", Now.AddDays(-20), 0, true),
                ("Imports", Now.AddDays(-1), 5, false),
            ],
            data.Sources.Select(s => (s.Label, s.LastAt, s.Recent, s.Paused)));
        Assert.Equal(["No lead from the HTTPS endpoint for 4 days; the Azure Table \u201cMarketplace\u201d had 12 in that time."], data.Warnings);
    }

    [StoreFact]
    public async Task Nothing_is_called_silent_while_every_source_delivered_in_the_last_3_days()
    {
        await ArrangeAsync();
        await Store.AddLeadAsync("marketplace-install", Now.AddDays(-3).AddMinutes(1));

        var data = await Services.GetRequiredService<SourceActivity>().GetAsync();

        Assert.Empty(data.Warnings);
        Assert.Equal(Now.AddDays(-3).AddMinutes(1), data.Sources[0].LastAt);
    }

    [StoreFact]
    public async Task The_dashboard_shows_the_sources_and_the_warning_line()
    {
        await ArrangeAsync();

        var cut = RenderPage<Dashboard>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("No lead from the HTTPS endpoint for 4 days; the Azure Table \u201cMarketplace\u201d had 12 in that time.",
                cut.Find("#source-activity .source-warning").TextContent.Trim());
            var rows = cut.FindAll("#source-activity-table tbody tr").Select(r => string.Join(" | ", r.Children.Select(c => c.TextContent.Trim()))).ToList();
            Assert.Equal(
                [
                    "HTTPS endpoint | 4 days ago, 6 Mar 09:00 | 1",
                    "Azure Table \u201cMarketplace\u201d | 1 h ago | 12",
                    "Azure Table \u201cOld table\u201d (paused) | 20 days ago, 18 Feb 12:00 | 0",
                    "Imports | yesterday, 12:00 | 5",
                ],
                rows);
        });
    }
}

[PostgresStore]
public sealed class SourceActivityPostgresTests() : SourceActivityTests(StoreProvider.Postgres);
