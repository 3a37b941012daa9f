using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Leads;

/// <summary>On SQLite; <see cref="SavedViewStorePostgresTests"/> runs the same on PostgreSQL.</summary>
public class SavedViewStoreTests : IDisposable
{
    private readonly TestStore _store;
    private readonly SavedViewStore _views;

    public SavedViewStoreTests() : this(StoreProvider.Sqlite)
    {
    }

    protected SavedViewStoreTests(StoreProvider provider)
    {
        _store = new TestStore(provider);
        _views = new SavedViewStore(_store, TimeProvider.System);
    }

    public void Dispose()
    {
        _store.Dispose();
        GC.SuppressFinalize(this);
    }

    [StoreFact]
    public async Task A_saved_view_can_be_the_default_and_the_inbox_then_starts_there_before_the_last_view()
    {
        var user = await _store.AddUserAsync("sam@contoso.example", "Sam");
        Assert.Null(await _views.StartQueryAsync(user.Id));

        await _views.RememberAsync(user.Id, new InboxView(new LeadFilter { Country = "SE", Text = "maja" }, Page: 3));
        Assert.Equal("?country=SE", await _views.StartQueryAsync(user.Id));

        var mine = new InboxView(new LeadFilter { Owner = LeadFilter.Me, Status = LeadStatus.New }, LeadSort.Company, false, 4, 50) { Hidden = "offer,country" };
        var id = await _views.SaveAsync(user.Id, "  My new ones ", mine, forTeam: false, isAdmin: false, makeDefault: true);
        Assert.Equal(mine with { Page = 0 }, InboxView.Parse(await _views.StartQueryAsync(user.Id)));

        // Saving under the same name replaces it; the list shows it once.
        await _views.SaveAsync(user.Id, "My new ones", mine with { PageSize = 100 }, false, false, false);
        var list = await _views.ListAsync(user.Id);
        var saved = Assert.Single(list.Mine);
        Assert.Equal("My new ones", saved.Name);
        Assert.Equal(100, InboxView.Parse(saved.Query).PageSize);
        Assert.Equal(id, list.DefaultId);

        Assert.True(await _views.DeleteAsync(user.Id, id, isAdmin: false));
        Assert.Equal("?country=SE", await _views.StartQueryAsync(user.Id));
    }

    [StoreFact]
    public async Task Team_views_are_made_by_admins_and_seen_by_everyone_but_deleted_only_by_admins()
    {
        var admin = await _store.AddUserAsync("admin@contoso.example", "Admin");
        var sam = await _store.AddUserAsync("sam@contoso.example", "Sam");
        var kim = await _store.AddUserAsync("kim@contoso.example", "Kim");
        var contactMe = new InboxView(new LeadFilter { Action = "PLT" });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _views.SaveAsync(sam.Id, "Calls", contactMe, forTeam: true, isAdmin: false, makeDefault: false));
        Assert.Equal("Only admins make team views.", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => _views.SaveAsync(sam.Id, "   ", contactMe, false, false, false));
        await Assert.ThrowsAsync<ArgumentException>(() => _views.SaveAsync(sam.Id, new string('x', 61), contactMe, false, false, false));

        var team = await _views.SaveAsync(admin.Id, "Calls to make", contactMe, forTeam: true, isAdmin: true, makeDefault: false);
        await _views.SaveAsync(kim.Id, "Kim's", contactMe, false, false, false);

        var samSees = await _views.ListAsync(sam.Id);
        Assert.Equal(["Calls to make"], samSees.Team.Select(v => v.Name));
        Assert.Empty(samSees.Mine);
        await _views.SetDefaultAsync(sam.Id, team);
        Assert.Equal("?action=PLT", await _views.StartQueryAsync(sam.Id));
        Assert.False(await _views.DeleteAsync(sam.Id, team, isAdmin: false));
        Assert.True(await _views.DeleteAsync(admin.Id, team, isAdmin: true));
        // Its users fall back to where they were.
        Assert.Null(await _views.StartQueryAsync(sam.Id));
    }
}

[PostgresStore]
public sealed class SavedViewStorePostgresTests() : SavedViewStoreTests(StoreProvider.Postgres);
