using LeadPortal.Data;
using Bunit;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Leads;

/// <summary>On SQLite; <see cref="DashboardPostgresTests"/> runs the same on PostgreSQL.</summary>
public class DashboardTests : BunitTestBase
{
    public DashboardTests() : base(StoreProvider.Sqlite)
    {
    }

    protected DashboardTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task Shows_counts_and_breakdowns_without_test_leads()
    {
        var now = Time.GetUtcNow().UtcDateTime;
        await Store.AddLeadAsync("marketplace-install", now.AddMinutes(-5));
        await Store.AddLeadAsync("appsource-contact-me", now.AddDays(-3));
        await Store.AddLeadAsync("microsoft-test-lead", now.AddMinutes(-1));

        var cut = RenderPage<Dashboard>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("2", cut.Find("#stat-7").TextContent);
            Assert.Equal("2", cut.Find("#stat-30").TextContent);
            Assert.Contains("Contact me", cut.Find("#by-action").TextContent);
            Assert.Contains("Sweden", cut.Find("#top-countries").TextContent);
            Assert.DoesNotContain("United States", cut.Find("#top-countries").TextContent);
        });
    }

    [StoreFact]
    public void With_no_leads_every_figure_is_zero()
    {
        var cut = RenderPage<Dashboard>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("0", cut.Find("#stat-today").TextContent);
            Assert.Contains("No leads in this range", cut.Markup);
        });
    }
}

[PostgresStore]
public sealed class DashboardPostgresTests() : DashboardTests(StoreProvider.Postgres);
