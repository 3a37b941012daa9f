using LeadPortal.Audit;
using LeadPortal.Data;
using System.Security.Claims;
using LeadPortal.Admin;
using LeadPortal.Mapping;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Mapping;

/// <summary>On SQLite; <see cref="MappingProfileStorePostgresTests"/> runs the same on PostgreSQL.</summary>
public class MappingProfileStoreTests : IDisposable
{
    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin@leadportal.test")], "test"));
    private readonly TestStore _db;
    private readonly MappingProfileStore _store;

    public MappingProfileStoreTests() : this(StoreProvider.Sqlite)
    {
    }

    protected MappingProfileStoreTests(StoreProvider provider)
    {
        _db = new TestStore(provider);
        _store = new MappingProfileStore(_db, new AuditLog(_db, TimeProvider.System), TimeProvider.System);
    }

    public void Dispose()
    {
        _db.Dispose();
        GC.SuppressFinalize(this);
    }

    [StoreFact]
    public async Task Every_preset_can_be_copied_into_a_profile_and_read_back()
    {
        foreach (var preset in Presets.All)
        {
            var copied = await _store.CopyPresetAsync(preset.Key, Admin);

            Assert.True(copied.Succeeded, string.Join(" ", copied.Errors));
            var stored = (await _store.GetAsync(copied.Id!.Value))!;
            Assert.Equal($"{preset.Name} (copy)", stored.Name);
            Assert.Equal(preset.Key, stored.PresetKey);
            Assert.Equal(MappingProfileStore.Serialize(preset.Definition), MappingProfileStore.Serialize(stored.Definition));
        }

        Assert.Equal(Presets.All.Count, (await _store.ListAsync()).Count);
    }

    [StoreFact]
    public async Task A_copy_or_draft_from_a_preset_starts_in_the_users_zone_and_stored_profiles_keep_theirs()
    {
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var before = await _store.CopyPresetAsync(Presets.HubSpotContacts, Admin);

        var copied = await _store.CopyPresetAsync(Presets.SalesforceLead, Admin, tokyo);
        var draft = await _store.DraftFromPresetAsync(Presets.Dynamics365Lead, tokyo);

        Assert.Equal("Asia/Tokyo", (await _store.GetAsync(copied.Id!.Value))!.Definition.Settings.TimeZone);
        Assert.Equal("Asia/Tokyo", draft!.Definition.Settings.TimeZone);
        Assert.Equal("UTC", (await _store.GetAsync(before.Id!.Value))!.Definition.Settings.TimeZone);
        // The preset itself is left alone.
        Assert.Equal("UTC", Presets.Get(Presets.Dynamics365Lead)!.Definition.Settings.TimeZone);
    }

    [StoreFact]
    public async Task A_second_copy_gets_a_numbered_name()
    {
        await _store.CopyPresetAsync(Presets.SalesforceLead, Admin);
        var second = await _store.CopyPresetAsync(Presets.SalesforceLead, Admin);

        Assert.Equal($"{Presets.Get(Presets.SalesforceLead)!.Name} (copy 2)", (await _store.GetAsync(second.Id!.Value))!.Name);
    }

    [StoreFact]
    public async Task A_profile_that_does_not_compile_or_has_a_taken_name_is_not_saved()
    {
        var first = await _store.CopyPresetAsync(Presets.SalesforceLead, Admin);
        var stored = (await _store.GetAsync(first.Id!.Value))!;
        stored.Definition.Columns[0].Kind = ColumnValueKind.Template;
        stored.Definition.Columns[0].Template = "{OfferName}";

        var broken = await _store.SaveAsync(stored.Id, stored.Name, stored.Definition, Admin);
        var other = await _store.CopyPresetAsync(Presets.HubSpotContacts, Admin);
        var clash = await _store.SaveAsync(other.Id, stored.Name, Presets.Get(Presets.HubSpotContacts)!.Definition, Admin);
        var unnamed = await _store.SaveAsync(null, "  ", Presets.Get(Presets.HubSpotContacts)!.Definition, Admin);

        Assert.False(broken.Succeeded);
        Assert.Contains(broken.Errors, e => e.Contains("{OfferName}", StringComparison.Ordinal));
        Assert.Contains(clash.Errors, e => e.Contains("already exists", StringComparison.Ordinal));
        Assert.Contains("Give the profile a name.", unnamed.Errors);
        Assert.Equal("FirstName", (await _store.GetAsync(first.Id.Value))!.Definition.Columns[0].Field);
    }
}

[PostgresStore]
public sealed class MappingProfileStorePostgresTests() : MappingProfileStoreTests(StoreProvider.Postgres);
