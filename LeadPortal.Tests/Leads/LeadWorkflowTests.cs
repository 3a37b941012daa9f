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
    public async Task Disqualifying_requires_a_reason_from_the_list_and_its_note_when_it_needs_one()
    {
        var user = await _store.AddUserAsync("sam@contoso.example", "Sam Sales");
        var lead = await _store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow);
        var reasons = await _store.QueryAsync(db => db.DisqualifyReasons.ToDictionaryAsync(r => r.Name, r => r.Id));

        var none = await Assert.ThrowsAsync<ArgumentException>(() => _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Disqualified, user.Id));
        Assert.Equal("Choose why the lead is disqualified. (Parameter 'details')", none.Message);
        var other = await Assert.ThrowsAsync<ArgumentException>(() => _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Disqualified, user.Id, new StatusDetails(reasons["Other"], "  ")));
        Assert.StartsWith("\"Other\" needs a few words saying why.", other.Message);
        Assert.Equal(LeadStatus.New, await _store.QueryAsync(db => db.Leads.Where(l => l.Id == lead.Id).Select(l => l.Status).SingleAsync()));

        Assert.True(await _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Disqualified, user.Id, new StatusDetails(reasons["Spam, abuse or phishing"])));

        var view = await _workflow.GetAsync(lead.Id);
        Assert.Equal(("Spam, abuse or phishing", reasons["Spam, abuse or phishing"]), (view!.ReasonName, view.Lead.DisqualifyReasonId));
        Assert.Equal("changed the status from New to Disqualified (Spam, abuse or phishing)", LeadLabels.ActivityText(view.Activities[0]));
    }

    [StoreFact]
    public async Task A_reason_deleted_meanwhile_is_refused_with_a_message_and_nothing_is_saved()
    {
        var lead = await _store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow);
        var b = await _store.AddLeadAsync("marketplace-install", DateTime.UtcNow);
        var reasons = new ReasonStore(_store, new LeadPortal.Audit.AuditLog(_store, _time));
        var id = await reasons.SaveAsync(null, "Went with a partner", false, null);
        Assert.True(await reasons.DeleteAsync(id, null));

        var single = await Assert.ThrowsAsync<ArgumentException>(() => _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Disqualified, null, new StatusDetails(id)));
        Assert.StartsWith("That reason was deleted by an admin meanwhile; choose another one.", single.Message);
        var bulk = await Assert.ThrowsAsync<ArgumentException>(() => _workflow.ChangeStatusAsync(
            [new BulkTarget(lead.Id, null, LeadStatus.New), new BulkTarget(b.Id, null, LeadStatus.New)], LeadStatus.Disqualified, null, new StatusDetails(id)));
        Assert.StartsWith("That reason was deleted by an admin meanwhile", bulk.Message);

        Assert.Equal([LeadStatus.New, LeadStatus.New], await _store.QueryAsync(db => db.Leads.OrderBy(l => l.Id).Select(l => l.Status).ToListAsync()));
        Assert.Equal(0, await _store.QueryAsync(db => db.LeadActivities.CountAsync()));
    }

    [StoreFact]
    public async Task Deleting_a_reason_in_use_leaves_its_leads_disqualified_without_a_reason()
    {
        var lead = await _store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow);
        var reasons = new ReasonStore(_store, new LeadPortal.Audit.AuditLog(_store, _time));
        var id = await reasons.SaveAsync(null, "Went with a partner", false, null);
        await _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Disqualified, null, new StatusDetails(id));
        Assert.Equal(1, (await reasons.ListWithUseAsync()).Single(r => r.Id == id).Leads);

        Assert.True(await reasons.DeleteAsync(id, null));

        var view = await _workflow.GetAsync(lead.Id);
        Assert.Equal((LeadStatus.Disqualified, (int?)null), (view!.Lead.Status, view.Lead.DisqualifyReasonId));
        Assert.DoesNotContain(await reasons.ListAsync(), r => r.Id == id);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => reasons.SaveAsync(null, " spam, ABUSE or phishing ", false, null));
        Assert.Equal("There is already a reason named \"spam, ABUSE or phishing\". (Parameter 'name')", refused.Message);
    }

    [StoreFact]
    public async Task Converting_records_the_crm_id_and_deal_value_which_go_when_the_status_moves_on()
    {
        var lead = await _store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow);

        await _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Converted, null, new StatusDetails(CrmId: " OPP-1042 ", DealValue: 12500.456m));
        var converted = (await _workflow.GetAsync(lead.Id))!;
        Assert.Equal(("OPP-1042", (decimal?)12500.46m), (converted.Lead.CrmId, converted.Lead.DealValue));
        Assert.Equal("changed the status from New to Converted (CRM id OPP-1042 · deal value 12,500.46)", LeadLabels.ActivityText(converted.Activities[0]));
        await _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Qualified, null);
        await Assert.ThrowsAsync<ArgumentException>(() => _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Converted, null, new StatusDetails(DealValue: -1)));

        var qualified = (await _workflow.GetAsync(lead.Id))!;
        Assert.Equal((LeadStatus.Qualified, (string?)null, (decimal?)null), (qualified.Lead.Status, qualified.Lead.CrmId, qualified.Lead.DealValue));
    }

    [StoreFact]
    public async Task A_logged_call_needs_an_outcome_takes_an_empty_note_and_counts_as_the_first_response()
    {
        var user = await _store.AddUserAsync("sam@contoso.example", "Sam Sales");
        var lead = await _store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _workflow.LogContactAsync(lead.Id, LeadActivityKind.Call, null, "", user.Id));
        Assert.StartsWith("Choose how the call went (reached, left voicemail, no answer, wrong number, meeting booked).", refused.Message);
        Assert.Equal(0, await _store.QueryAsync(db => db.LeadActivities.CountAsync()));

        await _workflow.LogContactAsync(lead.Id, LeadActivityKind.Call, "left voicemail", "  ", user.Id);
        _time.Now = _time.Now.AddHours(1);
        await _workflow.LogContactAsync(lead.Id, LeadActivityKind.Meeting, "Meeting booked", "Demo on Tuesday", user.Id);

        var view = (await _workflow.GetAsync(lead.Id))!;
        Assert.Equal(["logged a meeting: Meeting booked", "logged a call: Left voicemail"], view.Activities.Select(LeadLabels.ActivityText));
        Assert.Equal([(string?)"Demo on Tuesday", null], view.Activities.Select(a => a.Text));
        Assert.Equal(new DateTime(2026, 5, 1, 9, 0, 0, DateTimeKind.Utc), view.Lead.FirstResponseAt);
    }

    [StoreFact]
    public async Task A_change_is_made_only_on_the_version_it_read_so_a_colleagues_save_in_between_is_not_overwritten()
    {
        var lead = await _store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow);
        await using var db = _store.CreateDbContext();
        var seen = await db.Leads.AsNoTracking().SingleAsync(l => l.Id == lead.Id);

        // A colleague's status change and assignment each raise the version.
        Assert.True(await _workflow.ChangeStatusAsync(lead.Id, LeadStatus.Contacted, null));
        var now = await db.Leads.AsNoTracking().SingleAsync(l => l.Id == lead.Id);
        Assert.Equal(seen.Version + 1, now.Version);

        Assert.False(await LeadWorkflow.ClaimAsync(db, seen));
        Assert.True(await LeadWorkflow.ClaimAsync(db, now));
        Assert.Equal(seen.Version + 2, await _store.QueryAsync(d => d.Leads.Where(l => l.Id == lead.Id).Select(l => l.Version).SingleAsync()));
        Assert.Equal(LeadStatus.Contacted, await _store.QueryAsync(d => d.Leads.Where(l => l.Id == lead.Id).Select(l => l.Status).SingleAsync()));
    }
}

[PostgresStore]
public sealed class LeadWorkflowPostgresTests() : LeadWorkflowTests(StoreProvider.Postgres);
