using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Leads;

/// <summary>On SQLite; <see cref="LeadStatsPostgresTests"/> runs the same on PostgreSQL.</summary>
public class LeadStatsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);
    private readonly TestStore _store;

    public LeadStatsTests() : this(StoreProvider.Sqlite)
    {
    }

    protected LeadStatsTests(StoreProvider provider)
    {
        _store = new TestStore(provider);
    }

    public void Dispose()
    {
        _store.Dispose();
        GC.SuppressFinalize(this);
    }

    [StoreFact]
    public async Task Counts_per_period_and_day_leave_test_leads_out()
    {
        var now = Now.UtcDateTime;
        await _store.AddLeadAsync("marketplace-install", now.AddHours(-1));
        await _store.AddLeadAsync("appsource-contact-me", now.AddHours(-2));
        await _store.AddLeadAsync("portal-create", now.AddDays(-3));
        await _store.AddLeadAsync("do-not-contact", now.AddDays(-20));
        await _store.AddLeadAsync("test-drive", now.AddDays(-40));
        await _store.AddLeadAsync("microsoft-test-lead", now.AddHours(-1));
        var stats = new LeadStats(_store, new FixedTime(Now));

        var data = await stats.GetAsync(new DateOnly(2026, 6, 9), new DateOnly(2026, 6, 15), TimeZoneInfo.Utc);

        Assert.Equal(2, data.Today);
        Assert.Equal(3, data.Last7Days);
        Assert.Equal(4, data.Last30Days);
        Assert.Equal(7, data.PerDay.Count);
        Assert.Equal(2, data.PerDay.Single(d => d.Day == new DateOnly(2026, 6, 15)).Count);
        Assert.Equal(1, data.PerDay.Single(d => d.Day == new DateOnly(2026, 6, 12)).Count);
        Assert.Equal(3, data.InRange);
        Assert.Equal(["Azure portal purchase", "Contact me", "Get it now / free trial"], data.ByAction.Select(a => a.Label).Order());
        Assert.Equal(3, data.ByAction.Sum(a => a.Count));
        Assert.Equal("Contoso CRM Add-on", data.TopOffers.Single(o => o.Key == "contoso.crm-addon").Label);
        Assert.DoesNotContain(data.TopCountries, c => c.Key == "US");
    }

    [StoreFact]
    public async Task Why_we_drop_leads_counts_disqualified_leads_of_the_range_by_reason_and_offer()
    {
        var now = Now.UtcDateTime;
        var reasons = await _store.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(db.DisqualifyReasons, r => r.Name, r => r.Id));
        int? Spam() => reasons["Spam, abuse or phishing"];
        await _store.AddLeadAsync("marketplace-install", now.AddHours(-1), l => { l.Status = LeadStatus.Disqualified; l.DisqualifyReasonId = Spam(); });
        await _store.AddLeadAsync("appsource-contact-me", now.AddHours(-2), l => { l.Status = LeadStatus.Disqualified; l.DisqualifyReasonId = Spam(); });
        await _store.AddLeadAsync("do-not-contact", now.AddHours(-3), l => { l.Status = LeadStatus.Disqualified; l.DisqualifyReasonId = reasons["Duplicate"]; });
        await _store.AddLeadAsync("portal-create", now.AddHours(-4), l => l.Status = LeadStatus.Disqualified);
        await _store.AddLeadAsync("test-drive", now.AddDays(-40), l => { l.Status = LeadStatus.Disqualified; l.DisqualifyReasonId = Spam(); });
        await _store.AddLeadAsync("microsoft-test-lead", now.AddHours(-1), l => { l.Status = LeadStatus.Disqualified; l.DisqualifyReasonId = Spam(); });
        await _store.AddLeadAsync("marketplace-install", now.AddHours(-1), l => l.Status = LeadStatus.Qualified);
        var stats = new LeadStats(_store, new FixedTime(Now));

        var drops = await stats.GetDropReasonsAsync(new DateOnly(2026, 6, 9), new DateOnly(2026, 6, 15), TimeZoneInfo.Utc);

        Assert.Equal([("Spam, abuse or phishing", 2), ("(no reason recorded)", 1), ("Duplicate", 1)], drops.For(null).Select(c => (c.Label, c.Count)));
        Assert.Equal([("Duplicate", 1), ("Spam, abuse or phishing", 1)], drops.For("contoso.crm-addon").Select(c => (c.Label, c.Count)));
        Assert.Equal("Contoso CRM Add-on", drops.Offers.Single(o => o.Id == "contoso.crm-addon").Title);
    }

    [StoreFact]
    public async Task The_quality_mix_is_counted_per_offer_and_per_source_without_test_leads()
    {
        var now = Now.UtcDateTime;
        await _store.AddLeadAsync("marketplace-install", now.AddHours(-1), l => l.Quality = LeadPortal.Shared.QualityRating.High);
        await _store.AddLeadAsync("marketplace-install", now.AddHours(-2), l => l.Quality = LeadPortal.Shared.QualityRating.Low);
        await _store.AddLeadAsync("marketplace-install", now.AddHours(-3));
        await _store.AddLeadAsync("appsource-contact-me", now.AddHours(-2), l => l.Quality = LeadPortal.Shared.QualityRating.Medium);
        await _store.AddLeadAsync("microsoft-test-lead", now.AddHours(-1), l => l.Quality = LeadPortal.Shared.QualityRating.Low);

        var data = await new LeadStats(_store, new FixedTime(Now)).GetAsync(new DateOnly(2026, 6, 9), new DateOnly(2026, 6, 15), TimeZoneInfo.Utc);

        var offer = data.QualityByOffer!.Single(m => m.Key == "fabrikam.leadportal-demo");
        Assert.Equal(("LeadPortal Demo Offer", 1, 0, 1, 1), (offer.Label, offer.High, offer.Medium, offer.Low, offer.Unrated));
        Assert.Equal((0, 1, 0, 0), Mix(data.QualityByOffer!.Single(m => m.Key == "contoso.crm-addon")));
        Assert.Equal((1, 0, 1, 1), Mix(data.QualityBySource!.Single(m => m.Key == "AzureMarketplace")));
        Assert.Equal((0, 1, 0, 0), Mix(data.QualityBySource!.Single(m => m.Key == "AppSource")));
        Assert.Equal(4, data.QualityBySource!.Sum(m => m.Total));

        static (int, int, int, int) Mix(QualityMix m) => (m.High, m.Medium, m.Low, m.Unrated);
    }

    [StoreFact]
    public async Task Days_follow_the_viewers_time_zone()
    {
        // 22:30 UTC on 14 June is 15 June in Tokyo.
        await _store.AddLeadAsync("marketplace-install", new DateTime(2026, 6, 14, 22, 30, 0, DateTimeKind.Utc));
        var stats = new LeadStats(_store, new FixedTime(Now));
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

        var inTokyo = await stats.GetAsync(new DateOnly(2026, 6, 14), new DateOnly(2026, 6, 15), tokyo);
        var inUtc = await stats.GetAsync(new DateOnly(2026, 6, 14), new DateOnly(2026, 6, 15), TimeZoneInfo.Utc);

        Assert.Equal([0, 1], inTokyo.PerDay.Select(d => d.Count));
        Assert.Equal([1, 0], inUtc.PerDay.Select(d => d.Count));
        Assert.Equal(1, inTokyo.Today);
        Assert.Equal(0, inUtc.Today);
    }

    [StoreFact]
    public async Task Days_are_exact_in_a_time_zone_a_quarter_hour_off()
    {
        // Kathmandu is UTC+05:45: 18:14 UTC is 23:59 on 14 June there, 18:16 UTC is 00:01 on 15 June.
        await _store.AddLeadAsync("marketplace-install", new DateTime(2026, 6, 14, 18, 14, 0, DateTimeKind.Utc));
        await _store.AddLeadAsync("appsource-contact-me", new DateTime(2026, 6, 14, 18, 16, 0, DateTimeKind.Utc));
        var stats = new LeadStats(_store, new FixedTime(Now));
        var kathmandu = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kathmandu");

        var data = await stats.GetAsync(new DateOnly(2026, 6, 14), new DateOnly(2026, 6, 15), kathmandu);

        Assert.Equal([1, 1], data.PerDay.Select(d => d.Count));
    }
}

[PostgresStore]
public sealed class LeadStatsPostgresTests() : LeadStatsTests(StoreProvider.Postgres);
