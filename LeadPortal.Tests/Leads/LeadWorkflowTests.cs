using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Leads;

/// <summary>On SQLite; <see cref="LeadWorkflowPostgresTests"/> runs the same on PostgreSQL.</summary>
public class LeadWorkflowTests : IDisposable
{
    private readonly TestStore _store;
    private readonly FixedTime _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly LeadWorkflow _workflow;

    public LeadWorkflowTests() : this(StoreProvider.Sqlite)
    {
    }

    protected LeadWorkflowTests(StoreProvider provider)
    {
        _store = new TestStore(provider);
        _workflow = new LeadWorkflow(_store, _time);
    }

    public void Dispose()
    {
        _store.Dispose();
        GC.SuppressFinalize(this);
    }

    [StoreFact]
    public async Task A_status_change_is_recorded_with_who_and_when()
    {
        var lead = await _store.AddLeadAsync("marketplace-install", DateTime.UtcNow);
        var user = await _store.AddUserAsync("sam@contoso.example", "Sam Sales");

        Assert.True(await _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Contacted, user.Id));
        Assert.False(await _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Contacted, user.Id));

        var view = await _workflow.GetAsync(lead.Id);
        Assert.Equal(LeadStatus.Contacted, view!.Lead.Status);
        var activity = Assert.Single(view.Activities);
        Assert.Equal(LeadActivityKind.StatusChanged, activity.Kind);
        Assert.Equal("New", activity.FromValue);
        Assert.Equal("Contacted", activity.ToValue);
        Assert.Equal("Sam Sales", activity.UserName);
        Assert.Equal(_time.Now.UtcDateTime, activity.At);
    }

    [StoreFact]
    public async Task The_first_status_change_away_from_New_is_the_first_response_and_later_ones_keep_it()
    {
        var lead = await _store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow);
        Assert.Null(lead.FirstResponseAt);

        await _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Contacted, null);
        var first = _time.Now.UtcDateTime;
        _time.Now += TimeSpan.FromHours(3);
        await _workflow.ChangeStatusAsync(lead.Id, LeadStatus.New, null);
        await _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Qualified, null);

        var view = await _workflow.GetAsync(lead.Id);
        Assert.Equal(first, view!.Lead.FirstResponseAt);
    }

    [StoreFact]
    public async Task Owner_changes_and_notes_are_listed_newest_first()
    {
        var lead = await _store.AddLeadAsync("marketplace-install", DateTime.UtcNow);
        var sam = await _store.AddUserAsync("sam@contoso.example", "Sam Sales");
        var kim = await _store.AddUserAsync("kim@contoso.example", "Kim Admin");

        await _workflow.AssignOwnerAsync(lead.Id, sam.Id, kim.Id);
        _time.Now = _time.Now.AddMinutes(1);
        await _workflow.AddNoteAsync(lead.Id, "  Called, will try again Friday.  ", sam.Id);
        _time.Now = _time.Now.AddMinutes(1);
        await _workflow.AssignOwnerAsync(lead.Id, null, kim.Id);

        var view = await _workflow.GetAsync(lead.Id);
        Assert.Null(view!.Lead.OwnerId);
        Assert.Equal(
            ["removed the owner Sam Sales", "added a note", "assigned the lead to Sam Sales"],
            view.Activities.Select(LeadLabels.ActivityText));
        Assert.Equal("Called, will try again Friday.", view.Activities[1].Text);
        Assert.Equal("Sam Sales", view.Activities[1].UserName);
    }

    [StoreFact]
    public async Task An_empty_or_oversized_note_is_refused_and_nothing_is_stored()
    {
        var lead = await _store.AddLeadAsync("marketplace-install", DateTime.UtcNow);

        await Assert.ThrowsAsync<ArgumentException>(() => _workflow.AddNoteAsync(lead.Id, "   ", null));
        await Assert.ThrowsAsync<ArgumentException>(() => _workflow.AddNoteAsync(lead.Id, new string('x', LeadWorkflow.MaxNoteLength + 1), null));
        await Assert.ThrowsAsync<LeadNotFoundException>(() => _workflow.AddNoteAsync(lead.Id + 100, "hello", null));
        Assert.Equal(0, await _store.QueryAsync(db => db.LeadActivities.CountAsync()));
    }

    [StoreFact]
    public async Task Detail_lists_the_other_leads_of_the_same_person_by_normalized_email()
    {
        var first = await _store.AddLeadAsync("marketplace-install", DateTime.UtcNow.AddDays(-2));
        var second = await _store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow, l =>
        {
            l.Email = "Maja.Lindqvist@Fabrikam.example";
            l.EmailNormalized = "maja.lindqvist@fabrikam.example";
        });
        await _store.AddLeadAsync("test-drive", DateTime.UtcNow);

        var view = await _workflow.GetAsync(second.Id);

        Assert.Equal([first.Id], view!.SamePerson.Select(l => l.Id));
        Assert.Contains("\"TestRun\"", view.RawBody);
        Assert.Null(await _workflow.GetAsync(999_999));
    }

    [StoreFact]
    public async Task A_bulk_assignment_changes_what_the_user_saw_and_leaves_leads_changed_meanwhile_alone()
    {
        var actor = await _store.AddUserAsync("lead@contoso.example", "Team Lead");
        var colleague = await _store.AddUserAsync("sam@contoso.example", "Sam Sales");
        var other = await _store.AddUserAsync("kim@contoso.example", "Kim Sales");
        var leads = new List<Lead>();
        for (var i = 0; i < 10; i++)
        {
            leads.Add(await _store.AddLeadAsync("marketplace-install", DateTime.UtcNow.AddMinutes(-i)));
        }

        // What the user saw when selecting: all unassigned.
        var seen = leads.Select(l => new BulkTarget(l.Id, null, LeadStatus.New)).ToList();
        // Meanwhile someone else took two of them, and one was already assigned to the colleague.
        await _workflow.AssignOwnerAsync(leads[0].Id, other.Id, other.Id);
        await _workflow.AssignOwnerAsync(leads[1].Id, other.Id, other.Id);
        await _workflow.AssignOwnerAsync(leads[2].Id, colleague.Id, other.Id);

        var result = await _workflow.AssignOwnerAsync(seen.Append(new BulkTarget(999_999, null, LeadStatus.New)).ToList(), colleague.Id, actor.Id);

        Assert.Equal(new BulkResult(7, 1, 2, 1), result);
        Assert.Equal("7 assigned; 1 already so; 2 changed by someone else meanwhile (left as they are); 1 no longer there", result.Describe("assigned"));
        var owners = await _store.QueryAsync(db => db.Leads.ToDictionaryAsync(l => l.Id, l => l.OwnerId));
        Assert.Equal(other.Id, owners[leads[0].Id]);
        Assert.Equal(other.Id, owners[leads[1].Id]);
        Assert.All(leads.Skip(2), l => Assert.Equal(colleague.Id, owners[l.Id]));
        // Each change is in its lead's timeline, and each new owner's mail is queued in the same commit.
        var activities = await _store.QueryAsync(db => db.LeadActivities.Where(a => a.UserId == actor.Id).ToListAsync());
        Assert.Equal(7, activities.Count);
        Assert.All(activities, a => Assert.Equal("Sam Sales", a.ToValue));
        Assert.Equal(7, await _store.QueryAsync(db => db.OutboxEvents.CountAsync(e => e.ActorId == actor.Id && e.UserId == colleague.Id)));
    }

    [StoreFact]
    public async Task A_bulk_status_change_and_a_bulk_note_are_recorded_per_lead()
    {
        var actor = await _store.AddUserAsync("lead@contoso.example", "Team Lead");
        var a = await _store.AddLeadAsync("marketplace-install", DateTime.UtcNow);
        var b = await _store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow);
        await _workflow.ChangeStatusAsync(b.Id, LeadStatus.Qualified, actor.Id);
        var seen = new[] { new BulkTarget(a.Id, null, LeadStatus.New), new BulkTarget(b.Id, null, LeadStatus.New) };

        var status = await _workflow.ChangeStatusAsync(seen, LeadStatus.Contacted, actor.Id);
        Assert.Equal(new BulkResult(1, 0, 1, 0), status);
        Assert.Equal(LeadStatus.Qualified, await _store.QueryAsync(db => db.Leads.Where(l => l.Id == b.Id).Select(l => l.Status).SingleAsync()));

        var note = await _workflow.AddNoteAsync(seen, "  Called at the trade fair  ", actor.Id);
        Assert.Equal(new BulkResult(2, 0, 0, 0), note);
        var notes = await _store.QueryAsync(db => db.LeadActivities.Where(x => x.Kind == LeadActivityKind.Note).ToListAsync());
        Assert.Equal([a.Id, b.Id], notes.Select(n => n.LeadId).Order());
        Assert.All(notes, n => Assert.Equal("Called at the trade fair", n.Text));
        await Assert.ThrowsAsync<ArgumentException>(() => _workflow.AddNoteAsync(seen, "   ", actor.Id));
    }

    [StoreFact]
    public async Task A_follow_up_day_is_set_changed_and_cleared_in_the_timeline()
    {
        var user = await _store.AddUserAsync("sam@contoso.example", "Sam Sales");
        var lead = await _store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow);

        Assert.True(await _workflow.SetFollowUpAsync(lead.Id, new DateOnly(2026, 12, 3), user.Id));
        Assert.False(await _workflow.SetFollowUpAsync(lead.Id, new DateOnly(2026, 12, 3), user.Id));
        Assert.True(await _workflow.SetFollowUpAsync(lead.Id, null, user.Id));

        var view = await _workflow.GetAsync(lead.Id);
        Assert.Null(view!.Lead.FollowUpOn);
        Assert.Equal(["cleared the follow-up", "set a follow-up for Thu 3 Dec 2026"], view.Activities.Select(LeadLabels.ActivityText));
    }
}

[PostgresStore]
public sealed class LeadWorkflowPostgresTests() : LeadWorkflowTests(StoreProvider.Postgres);
