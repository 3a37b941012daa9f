using LeadPortal.Data;
using System.Security.Claims;
using Bunit;
using LeadPortal.Mapping;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Mapping;

/// <summary>On SQLite; <see cref="MappingEditorPostgresTests"/> runs the same on PostgreSQL.</summary>
public class MappingEditorTests : AppBunitBase
{
    public MappingEditorTests() : base(StoreProvider.Sqlite)
    {
    }

    protected MappingEditorTests(StoreProvider provider) : base(provider)
    {
    }

    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, LeadPortalFactory.AdminEmail)], "test"));

    private async Task<int> CopyAsync(string preset) =>
        (await App.Services.GetRequiredService<MappingProfileStore>().CopyPresetAsync(preset, Admin)).Id!.Value;

    private IRenderedComponent<MappingEditor> RenderEditor(int id)
    {
        Render<MudBlazor.MudPopoverProvider>();
        return Render<MappingEditor>(p => p.Add(x => x.Id, id));
    }

    [StoreFact]
    public async Task A_new_mapping_from_a_preset_is_a_draft_under_the_presets_name_until_saved()
    {
        var preset = Presets.Get(Presets.SalesforceLead)!;
        Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<MappingEditor>(p => p.Add(x => x.PresetKey, preset.Key));
        cut.WaitForAssertion(() => Assert.Contains(preset.Description, cut.Find("#draft-notice").TextContent));

        var store = App.Services.GetRequiredService<MappingProfileStore>();
        Assert.Empty(await store.ListAsync());
        Assert.Equal(preset.Name, cut.Find(".profile-name input").GetAttribute("value"));

        // Editing the draft leaves the preset itself alone.
        var headers = preset.Definition.Columns.Select(c => c.Header).ToList();
        var header = cut.FindComponents<MudBlazor.MudTextField<string>>().First(t => t.Instance.Class?.Contains("column-header", StringComparison.Ordinal) == true);
        await cut.InvokeAsync(() => header.Instance.ValueChanged.InvokeAsync("Renamed"));
        Assert.Equal(headers, Presets.Get(Presets.SalesforceLead)!.Definition.Columns.Select(c => c.Header).ToList());

        await cut.InvokeAsync(() => cut.Find("button#save-profile").Click());
        // Once saved, the editor moves to the stored mapping's own address.
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches(@"/mappings/\d+$", navigation.Uri));
        var saved = Assert.Single(await store.ListAsync());
        Assert.Equal(preset.Name, saved.Name);
        Assert.Equal(preset.Key, saved.PresetKey);
        Assert.EndsWith($"/mappings/{saved.Id}", navigation.Uri, StringComparison.Ordinal);

        // A second draft from the same preset gets a free name.
        Assert.Equal($"{preset.Name} (2)", (await store.DraftFromPresetAsync(preset.Key))!.Name);
        Assert.Null(await store.DraftFromPresetAsync("no-such-preset"));
    }

    [StoreFact]
    public async Task A_new_mapping_starts_with_the_zone_the_user_chose_in_settings()
    {
        await App.Services.GetRequiredService<LeadPortal.Shared.UserTimeZones>().SaveAsync(AdminId, "America/Chicago");
        var existing = await CopyAsync(Presets.HubSpotContacts);

        Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<MappingEditor>(p => p.Add(x => x.PresetKey, Presets.SalesforceLead));
        cut.WaitForAssertion(() => Assert.Contains(cut.FindComponents<MudBlazor.MudTextField<string>>(),
            t => t.Instance.Label == "Time zone (IANA)" && t.Find("input").GetAttribute("value") == "America/Chicago"));

        // A stored mapping keeps the zone it was saved with.
        var stored = Render<MappingEditor>(p => p.Add(x => x.Id, existing));
        stored.WaitForAssertion(() => Assert.Contains(stored.FindComponents<MudBlazor.MudTextField<string>>(),
            t => t.Instance.Label == "Time zone (IANA)" && t.Find("input").GetAttribute("value") == "UTC"));
    }

    [StoreFact]
    public async Task A_bad_template_shows_its_error_and_save_is_disabled()
    {
        var id = await CopyAsync(Presets.Dynamics365Lead);
        var cut = RenderEditor(id);
        cut.WaitForAssertion(() => Assert.False(cut.Find("button#save-profile").HasAttribute("disabled")));

        var template = cut.FindComponents<MudBlazor.MudTextField<string>>().First(t => t.Instance.Class?.Contains("column-template", StringComparison.Ordinal) == true);
        await cut.InvokeAsync(() => template.Instance.ValueChanged.InvokeAsync("{OfferTitle} – {Nonsense}"));

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("unknown field {Nonsense}", cut.Find("#profile-errors").TextContent);
            Assert.True(cut.Find("button#save-profile").HasAttribute("disabled"));
        });
    }

    [StoreFact]
    public async Task The_preview_shows_leads_as_they_export_and_reports_missing_required_values()
    {
        var client = App.CreateClient();
        await client.PostLeadAsync(SampleLeads.Read("marketplace-install"));
        await client.PostLeadAsync(SampleLeads.Read("portal-create"));
        var id = await CopyAsync(Presets.HubSpotContacts);
        var store = App.Services.GetRequiredService<MappingProfileStore>();
        var stored = (await store.GetAsync(id))!;
        stored.Definition.Columns.Single(c => c.Header == "phone").Required = true;
        Assert.True((await store.SaveAsync(id, stored.Name, stored.Definition, Admin)).Succeeded);
        var cut = RenderEditor(id);
        cut.WaitForAssertion(() => cut.Find("button#run-preview"));

        await cut.InvokeAsync(() => cut.Find("button#run-preview").Click());

        cut.WaitForAssertion(() =>
        {
            var table = cut.Find("#preview-table");
            Assert.Contains("maja.lindqvist@fabrikam.example", table.TextContent);
            Assert.Contains("Sweden", table.TextContent);
            var report = cut.Find("#validation-report").TextContent;
            Assert.Contains("1 of 2 leads cannot be imported as they are", report);
            Assert.Contains("Aiko Tanaka: phone", report);
        });
    }

    [StoreFact]
    public void A_pasted_inbox_address_becomes_the_preview_filter()
    {
        var filter = MappingEditor.FilterFrom("http://localhost:5255/?country=SE&action=PLT&test=true");

        Assert.Equal("SE", filter.Country);
        Assert.Equal("PLT", filter.Action);
        Assert.True(filter.ShowTest);
        Assert.True(MappingEditor.FilterFrom("").IsEmpty);
    }
}

[PostgresStore]
public sealed class MappingEditorPostgresTests() : MappingEditorTests(StoreProvider.Postgres);
