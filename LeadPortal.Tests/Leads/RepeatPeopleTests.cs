using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Leads;

/// <summary>The inbox's repeat-person marks and the lead page's previous/next on SQLite; <see cref="RepeatPeoplePostgresTests"/> on PostgreSQL.</summary>
public class RepeatPeopleTests : IDisposable
{
    private static readonly DateTime Day = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
    private readonly TestStore _store;

    public RepeatPeopleTests() : this(StoreProvider.Sqlite)
    {
    }

    protected RepeatPeopleTests(StoreProvider provider)
    {
        _store = new TestStore(provider);
    }

    public void Dispose()
    {
        _store.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<Lead> AddAsync(DateTime received, string? email, string? phone) =>
        _store.AddLeadAsync("marketplace-install", received, l => (l.EmailNormalized, l.PhoneE164) = (email, phone));

    [StoreFact]
    public async Task A_person_is_their_address_or_without_one_their_number_and_each_lead_knows_its_place_and_the_newest_other()
    {
        var first = await AddAsync(Day.AddDays(-30), "anna@contoso.example", "+46701234567");
        var second = await AddAsync(Day.AddDays(-12), "anna@contoso.example", null);
        var third = await AddAsync(Day, "anna@contoso.example", "+46700000000");
        var alone = await AddAsync(Day, "bo@fabrikam.example", "+46701234567");       // Anna's number, another address: another person
        var byPhone = await AddAsync(Day.AddDays(-2), null, "+46701234567");           // no address: the number's leads
        var nothing = await AddAsync(Day, null, null);
        var unrelated = await AddAsync(Day, "cleo@example.org", null);

        var marks = await new RepeatPeople(_store).ForLeadsAsync([first.Id, second.Id, third.Id, alone.Id, byPhone.Id, nothing.Id, unrelated.Id]);

        Assert.Equal(new RepeatMark(1, 3, Day), marks[first.Id]);
        Assert.Equal(new RepeatMark(2, 3, Day), marks[second.Id]);
        Assert.Equal(new RepeatMark(3, 3, Day.AddDays(-12)), marks[third.Id]);
        Assert.Equal("3rd lead · last 12 days ago", marks[third.Id].Text(Day.AddHours(1)));
        // The number's leads: Anna's first and Bo's, whatever address they carry.
        Assert.Equal(new RepeatMark(2, 3, Day), marks[byPhone.Id]);
        Assert.Equal([first.Id, second.Id, third.Id, byPhone.Id], marks.Keys.Order());
    }

    [StoreFact]
    public async Task The_counts_stop_at_the_cap_so_a_shared_test_address_costs_no_more_than_the_cap()
    {
        var leads = new List<Lead>();
        for (var i = 0; i < 6; i++)
        {
            leads.Add(await AddAsync(Day.AddMinutes(i), "test@example.com", null));
        }

        var marks = await new RepeatPeople(_store, cap: 3).ForLeadsAsync([leads[^1].Id, leads[1].Id]);

        Assert.Equal(new RepeatMark(4, 4, leads[^2].ReceivedAt, 3), marks[leads[^1].Id]);
        Assert.Equal("3+ leads · last today", marks[leads[^1].Id].Text(Day));
        Assert.StartsWith("This person sent more than 3 leads", marks[leads[^1].Id].Title(Day), StringComparison.Ordinal);
        Assert.Equal(new RepeatMark(2, 4, leads[^1].ReceivedAt, 3), marks[leads[1].Id]);
    }

    [StoreFact]
    public async Task Previous_and_next_follow_the_views_filter_and_sort_across_pages_and_find_a_lead_that_moved()
    {
        var query = new LeadQuery(_store, time: new FixedTime(new DateTimeOffset(Day)));
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            // Contoso 0–11 and, between them, installs the view's filter leaves out.
            ids.Add((await _store.AddLeadAsync("appsource-contact-me", Day.AddHours(-i), l => l.Company = $"Contoso {i:00}")).Id);
            await _store.AddLeadAsync("marketplace-install", Day.AddHours(-i).AddMinutes(-1));
        }

        var filter = new LeadFilter { Action = LeadPortal.Shared.LeadActions.ContactMe };
        // Newest first: lead 5 is at 5, between 4 and 6 (on another page of 5 rows, too).
        Assert.Equal(new LeadNeighbours(ids[4], ids[6], 5, 12), await query.GetNeighboursAsync(filter, LeadSort.Received, true, ids[5], 5, TimeZoneInfo.Utc));
        Assert.Equal(new LeadNeighbours(null, ids[1], 0, 12), await query.GetNeighboursAsync(filter, LeadSort.Received, true, ids[0], 0, TimeZoneInfo.Utc));
        Assert.Equal(new LeadNeighbours(ids[10], null, 11, 12), await query.GetNeighboursAsync(filter, LeadSort.Received, true, ids[11], 11, TimeZoneInfo.Utc));
        Assert.Equal(new LeadNeighbours(ids[8], ids[10], 9, 12), await query.GetNeighboursAsync(filter, LeadSort.Received, true, ids[9], 9, TimeZoneInfo.Utc));
        // Company Z to A: 11 is first.
        Assert.Equal(new LeadNeighbours(ids[10], ids[8], 2, 12), await query.GetNeighboursAsync(filter, LeadSort.Company, true, ids[9], 2, TimeZoneInfo.Utc));
        // The hint is stale (leads arrived since): the lead is found where it is now.
        Assert.Equal(new LeadNeighbours(ids[6], ids[8], 7, 12), await query.GetNeighboursAsync(filter, LeadSort.Received, true, ids[7], 3, TimeZoneInfo.Utc));
        // A lead the view no longer shows has no neighbours, and says so.
        var install = await _store.AddLeadAsync("marketplace-install", Day);
        Assert.Equal(new LeadNeighbours(null, null, null, 12), await query.GetNeighboursAsync(filter, LeadSort.Received, true, install.Id, 0, TimeZoneInfo.Utc));
    }
}

[PostgresStore]
public sealed class RepeatPeoplePostgresTests() : RepeatPeopleTests(StoreProvider.Postgres);
