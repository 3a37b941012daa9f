using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Leads;

public sealed class LeadWorkflowTests : IDisposable
{
    private readonly TestStore _store = new();
    private readonly FixedTime _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly LeadWorkflow _workflow;

    public LeadWorkflowTests() => _workflow = new LeadWorkflow(_store, _time);

    public void Dispose() => _store.Dispose();

    [Fact]
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

    [Fact]
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

    [Fact]
    public async Task An_empty_or_oversized_note_is_refused_and_nothing_is_stored()
    {
        var lead = await _store.AddLeadAsync("marketplace-install", DateTime.UtcNow);

        await Assert.ThrowsAsync<ArgumentException>(() => _workflow.AddNoteAsync(lead.Id, "   ", null));
        await Assert.ThrowsAsync<ArgumentException>(() => _workflow.AddNoteAsync(lead.Id, new string('x', LeadWorkflow.MaxNoteLength + 1), null));
        await Assert.ThrowsAsync<LeadNotFoundException>(() => _workflow.AddNoteAsync(lead.Id + 100, "hello", null));
        Assert.Equal(0, await _store.QueryAsync(db => db.LeadActivities.CountAsync()));
    }

    [Fact]
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
}
