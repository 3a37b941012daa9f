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
    public async Task Today_and_the_caption_are_in_the_zone_the_user_chose_not_the_browsers()
    {
        // 20:00 UTC on 15 January is 05:00 on the 16th in Tokyo; the browser (bunit's JS) says UTC.
        Time.Now = new DateTimeOffset(2026, 1, 15, 20, 0, 0, TimeSpan.Zero);
        await using (var db = Store.CreateDbContext())
        {
            db.Users.Add(new AppUser { Id = UserId, UserName = "sam@leadportal.test", Email = "sam@leadportal.test", TimeZone = "Asia/Tokyo", CreatedAt = Time.Now.UtcDateTime });
            await db.SaveChangesAsync();
        }

        await Store.AddLeadAsync("marketplace-install", new DateTime(2026, 1, 15, 14, 0, 0, DateTimeKind.Utc));
        await Store.AddLeadAsync("appsource-contact-me", new DateTime(2026, 1, 15, 16, 0, 0, DateTimeKind.Utc));

        var cut = RenderPage<Dashboard>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("1", cut.Find("#stat-today").TextContent);
            Assert.Equal("Asia/Tokyo", cut.Find("#dashboard-zone").TextContent);
        });
        Assert.Equal("/settings/time-zone", cut.Find("#dashboard-zone").GetAttribute("href"));
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
