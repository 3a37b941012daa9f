using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Responses;
using LeadPortal.Tests.Assignment;
using LeadPortal.Tests.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Responses;

/// <summary>Response clocks through the real intake, dispatcher, queries and job, with a pinned clock. On SQLite; <see cref="ResponseClockAppPostgresTests"/> on PostgreSQL.</summary>
public class ResponseClockAppTests : StoreAppTests
{
    // Monday 7 December 2026, 10:00 in Stockholm.
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private readonly FixedTime _time = new(Monday);

    public ResponseClockAppTests() : base(StoreProvider.Sqlite)
    {
    }

    protected ResponseClockAppTests(StoreProvider provider) : base(provider)
    {
    }

    private LeadPortalFactory PinnedApp(IDictionary<string, string?>? settings = null) => new(Provider, TempDatabase.NewPath(), settings) { Time = _time };

    private static async Task<Dictionary<long, DateTime?>> DueTimesAsync(LeadPortalFactory app, IReadOnlyCollection<long> ids)
    {
        await app.OwnersAfterRoutingAsync(ids); // waits until the dispatcher handled every event
        return await app.QueryAsync(db => db.Leads.Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.ResponseDueAt));
    }

    private static async Task<List<long>> FoundAsync(LeadPortalFactory app, LeadFilter filter, LeadSort sort = LeadSort.Received, bool descending = true) =>
        (await app.Services.GetRequiredService<LeadQuery>().GetPageAsync(filter, sort, descending, 0, 50, TimeZoneInfo.Utc)).Rows.Select(r => r.Id).ToList();

    [StoreFact]
    public async Task A_posted_contact_me_lead_is_due_24_hours_after_it_arrived_other_actions_after_three_business_days_and_dnc_runs_no_clock()
    {
        await using var app = PinnedApp(new Dictionary<string, string?> { ["ResponseClocks:Calendar:TimeZone"] = "Europe/Stockholm" });
        var contactMe = await app.PostAsync(AssignmentTestKit.Lead("PLT"));
        var install = await app.PostAsync(AssignmentTestKit.Lead("INS"));
        var dnc = await app.PostAsync(AssignmentTestKit.Lead("DNC"));

        var due = await DueTimesAsync(app, [contactMe, install, dnc]);

        Assert.Equal(Monday.UtcDateTime.AddHours(24), due[contactMe]);
        Assert.Equal(Monday.UtcDateTime.AddDays(3), due[install]); // Thursday 10:00 in Stockholm
        Assert.Null(due[dnc]);
    }

    [StoreFact]
    public async Task The_clock_filters_find_a_lead_as_its_clock_runs_and_lose_it_once_it_is_answered()
    {
        await using var app = PinnedApp();
        var contactMe = await app.PostAsync(AssignmentTestKit.Lead("PLT"));
        var install = await app.PostAsync(AssignmentTestKit.Lead("INS"));
        await DueTimesAsync(app, [contactMe, install]);

        Assert.Empty(await FoundAsync(app, new LeadFilter { Clock = ClockFilter.Overdue }));
        Assert.Empty(await FoundAsync(app, new LeadFilter { Clock = ClockFilter.Soon }));

        _time.Now = Monday.AddHours(21); // 3 h before the Contact me lead is due
        Assert.Equal([contactMe], await FoundAsync(app, new LeadFilter { Clock = ClockFilter.Soon }));

        _time.Now = Monday.AddHours(25);
        Assert.Equal([contactMe], await FoundAsync(app, new LeadFilter { Clock = ClockFilter.Overdue }));
        // Running clocks first, soonest due first.
        Assert.Equal([contactMe, install], (await FoundAsync(app, new LeadFilter(), LeadSort.Due, descending: false)).Take(2));

        _time.Now = Monday.AddDays(11).AddHours(1); // Partner Center expires it in 3 days less an hour
        Assert.Equal([contactMe], await FoundAsync(app, new LeadFilter { Clock = ClockFilter.Expiring }));

        Assert.True(await app.Services.GetRequiredService<LeadWorkflow>().MarkRespondedAsync(contactMe, null));
        Assert.False(await app.Services.GetRequiredService<LeadWorkflow>().MarkRespondedAsync(contactMe, null));
        // Only the Get it now lead is still overdue (it was due on Thursday); the answered Contact me lead is neither overdue nor expiring.
        Assert.Equal([install], await FoundAsync(app, new LeadFilter { Clock = ClockFilter.Overdue }));
        Assert.Empty(await FoundAsync(app, new LeadFilter { Clock = ClockFilter.Expiring }));
        var lead = await app.QueryAsync(db => db.Leads.SingleAsync(l => l.Id == contactMe));
        Assert.Equal(_time.Now.UtcDateTime, lead.FirstResponseAt);
        Assert.Equal(Monday.UtcDateTime.AddHours(24), lead.ResponseDueAt); // kept: answered late, readable later
        var activity = await app.QueryAsync(db => db.LeadActivities.SingleAsync(a => a.LeadId == contactMe));
        Assert.Equal(LeadActivityKind.MarkedResponded, activity.Kind);
    }

    [StoreFact]
    public async Task Accepted_in_partner_center_is_recorded_with_who_and_when_and_the_not_accepted_filter_and_expiry_follow_it()
    {
        await using var app = PinnedApp();
        var workflow = app.Services.GetRequiredService<LeadWorkflow>();
        var contactMe = await app.PostAsync(AssignmentTestKit.Lead("PLT"));
        var other = await app.PostAsync(AssignmentTestKit.Lead("PLT"));
        var install = await app.PostAsync(AssignmentTestKit.Lead("INS"));
        await DueTimesAsync(app, [contactMe, other, install]);
        var sam = await app.AddUserAsync("sam@leadportal.test", "Sam Sales");
        var notAccepted = new LeadFilter { NotAcceptedInPartnerCenter = true };
        Assert.Equal([other, contactMe], await FoundAsync(app, notAccepted));

        _time.Now = Monday.AddDays(12);
        Assert.True(await workflow.SetAcceptedInPartnerCenterAsync(contactMe, true, sam));
        Assert.False(await workflow.SetAcceptedInPartnerCenterAsync(contactMe, true, sam));

        var lead = await app.QueryAsync(db => db.Leads.SingleAsync(l => l.Id == contactMe));
        Assert.Equal((_time.Now.UtcDateTime, "Sam Sales"), (lead.PartnerCenterAcceptedAt!.Value, lead.PartnerCenterAcceptedBy));
        Assert.Null(lead.FirstResponseAt); // accepting in Partner Center is not answering the customer
        var activity = await app.QueryAsync(db => db.LeadActivities.SingleAsync(a => a.LeadId == contactMe));
        Assert.Equal((LeadActivityKind.PartnerCenterAcceptance, "accepted", sam), (activity.Kind, activity.ToValue, activity.UserId));
        Assert.Equal([other], await FoundAsync(app, notAccepted));
        // Partner Center no longer expires the accepted one; the other still expires within 3 days.
        Assert.Equal([other], await FoundAsync(app, new LeadFilter { Clock = ClockFilter.Expiring }));

        Assert.True(await workflow.SetAcceptedInPartnerCenterAsync(contactMe, false, sam));
        Assert.Null(await app.QueryAsync(db => db.Leads.Where(l => l.Id == contactMe).Select(l => l.PartnerCenterAcceptedAt).SingleAsync()));
        Assert.Equal([other, contactMe], await FoundAsync(app, notAccepted));

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => workflow.SetAcceptedInPartnerCenterAsync(install, true, sam));
        Assert.StartsWith("Only Contact me leads are accepted in Partner Center.", refused.Message);
        Assert.Null(await app.QueryAsync(db => db.Leads.Where(l => l.Id == install).Select(l => l.PartnerCenterAcceptedAt).SingleAsync()));
        Assert.Equal(2, await app.QueryAsync(db => db.LeadActivities.CountAsync()));
    }

    [StoreFact]
    public async Task Changing_a_clock_re_times_the_open_leads_in_a_job_and_answered_leads_keep_their_due_time()
    {
        await using var app = PinnedApp();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await app.PostAsync(AssignmentTestKit.Lead("PLT")));
        }

        await DueTimesAsync(app, ids);
        await app.Services.GetRequiredService<LeadWorkflow>().ChangeStatusAsync(ids[0], LeadStatus.Contacted, null);
        var times = app.Services.GetRequiredService<ResponseTimes>();

        var refused = await times.SaveAsync(app.Admin(), new ResponseClockSettings { ContactMeHours = 500 });
        Assert.Equal(["Contact me: the response is due after 1 to 336 hours (Partner Center expires the lead after 14 days); 500 is out of range."], refused.Problems);
        Assert.False((await times.GetAsync()).Saved);

        var (problems, retiming) = await times.SaveAsync(app.Admin(), new ResponseClockSettings { ContactMeHours = 8 });
        Assert.Empty(problems);
        Assert.Equal(4, retiming);
        var job = app.Services.GetRequiredService<ResponseClockJob>();
        await job.Current!.WaitAsync(TimeSpan.FromSeconds(30));

        var due = await app.QueryAsync(db => db.Leads.Where(l => ids.Contains(l.Id)).OrderBy(l => l.Id).Select(l => l.ResponseDueAt).ToListAsync());
        Assert.Equal(Monday.UtcDateTime.AddHours(24), due[0]);
        Assert.All(due.Skip(1), d => Assert.Equal(Monday.UtcDateTime.AddHours(8), d));
        var progress = await job.GetProgressAsync();
        Assert.Equal((false, 4, 4, 4, (string?)null), (progress.Running, progress.Total, progress.Processed, progress.Changed, progress.Error));
        Assert.True((await times.GetAsync()).Saved);

        // The same clocks again: nothing to re-time; a new lead is timed by the saved settings.
        Assert.Equal(0, (await times.SaveAsync(app.Admin(), new ResponseClockSettings { ContactMeHours = 8 })).Retiming);
        var later = await app.PostAsync(AssignmentTestKit.Lead("PLT"));
        Assert.Equal(Monday.UtcDateTime.AddHours(8), (await DueTimesAsync(app, [later]))[later]);
    }
}

[PostgresStore]
public sealed class ResponseClockAppPostgresTests() : ResponseClockAppTests(StoreProvider.Postgres);
