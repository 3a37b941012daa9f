using LeadPortal.Data;
using LeadPortal.Responses;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Responses;

/// <summary>The dashboard's response-time figures on SQLite; <see cref="ResponseStatsPostgresTests"/> runs the same on PostgreSQL.</summary>
public class ResponseStatsTests : IDisposable
{
    // Tuesday 15 December 2026; the range is the week of Monday 30 November and of Monday 7 December.
    private static readonly DateTime Now = new(2026, 12, 15, 12, 0, 0, DateTimeKind.Utc);
    private readonly TestStore _store;

    public ResponseStatsTests() : this(StoreProvider.Sqlite)
    {
    }

    protected ResponseStatsTests(StoreProvider provider)
    {
        _store = new TestStore(provider);
    }

    public void Dispose()
    {
        _store.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<Lead> AddAsync(string sample, DateTime received, double? answeredAfterHours, string? ownerId = null, bool accepted = false) =>
        _store.AddLeadAsync(sample, received, l =>
        {
            l.ResponseDueAt = received.AddHours(24);
            l.FirstResponseAt = answeredAfterHours is { } h ? received.AddHours(h) : null;
            l.OwnerId = ownerId;
            l.PartnerCenterAcceptedAt = accepted ? received.AddHours(1) : null;
        });

    [StoreFact]
    public async Task Median_and_90th_percentile_per_week_by_action_and_owner_the_24_hour_share_and_expired_contact_me_leads()
    {
        var anna = await _store.AddUserAsync("anna@contoso.example", "Anna");
        var monday = new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
        // Week of 7 December, Contact me answered after 1, 2, 3, … 10 hours by Anna.
        for (var h = 1; h <= 10; h++)
        {
            await AddAsync("appsource-contact-me", monday.AddMinutes(h), h, anna.Id);
        }

        await AddAsync("appsource-contact-me", monday, 30);            // answered, but after 24 h (unassigned)
        await AddAsync("marketplace-install", monday, 50, anna.Id);    // another action, another row
        await AddAsync("appsource-contact-me", Now.AddHours(-3), null);  // its 24 h are not over: not counted in the share
        // Week of 30 November: 15 days old, so Partner Center has expired those not answered within 14 days.
        var old = new DateTime(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);
        await AddAsync("appsource-contact-me", old, null);             // expired unanswered
        await AddAsync("appsource-contact-me", old, 15 * 24);          // answered after it expired
        await AddAsync("appsource-contact-me", old, null, accepted: true); // accepted there: not expired
        await _store.AddLeadAsync("appsource-contact-me", monday, l => l.IsTest = true); // test leads never count
        await _store.AddLeadAsync("do-not-contact", monday);         // no clock: not counted

        var figures = await new ResponseStats(_store, new FixedTime(new DateTimeOffset(Now))).GetAsync(new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 15), TimeZoneInfo.Utc);

        var week = new DateOnly(2026, 12, 7);
        Assert.Equal(
        [
            new ResponseTimeRow(week, "Contact me", 11, TimeSpan.FromHours(6), TimeSpan.FromHours(10)),
            new ResponseTimeRow(week, "Get it now", 1, TimeSpan.FromHours(50), TimeSpan.FromHours(50)),
            new ResponseTimeRow(new DateOnly(2026, 11, 30), "Contact me", 1, TimeSpan.FromDays(15), TimeSpan.FromDays(15)),
        ], figures.ByAction);
        Assert.Equal(
        [
            new ResponseTimeRow(week, "Anna", 11, TimeSpan.FromHours(6), TimeSpan.FromHours(10)),
            new ResponseTimeRow(week, "Unassigned", 1, TimeSpan.FromHours(30), TimeSpan.FromHours(30)),
            new ResponseTimeRow(new DateOnly(2026, 11, 30), "Unassigned", 1, TimeSpan.FromDays(15), TimeSpan.FromDays(15)),
        ], figures.ByOwner);
        Assert.Equal((14, 10), (figures.ContactMeDue, figures.ContactMeWithin24h));
        Assert.Equal(2, figures.ExpiredUnanswered);
    }

    [Theory]
    [InlineData(new[] { 5.0 }, 5.0, 5.0)]
    [InlineData(new[] { 1.0, 2.0 }, 1.0, 2.0)]
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0 }, 6.0, 10.0)]
    public void Percentiles_are_nearest_rank_so_always_a_time_measured(double[] hours, double median, double p90)
    {
        var sorted = hours.Select(TimeSpan.FromHours).ToList();
        Assert.Equal(TimeSpan.FromHours(median), ResponseStats.Percentile(sorted, 50));
        Assert.Equal(TimeSpan.FromHours(p90), ResponseStats.Percentile(sorted, 90));
    }
}

[PostgresStore]
public sealed class ResponseStatsPostgresTests() : ResponseStatsTests(StoreProvider.Postgres);
