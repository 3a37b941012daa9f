using Bunit;
using LeadPortal.Data;
using LeadPortal.Privacy;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace LeadPortal.Tests.Privacy;

/// <summary>The Personal data page on SQLite; <see cref="PersonalDataPagePostgresTests"/> runs the same on PostgreSQL.</summary>
public class PersonalDataPageTests : AppBunitBase
{
    public PersonalDataPageTests() : base(StoreProvider.Sqlite)
    {
    }

    protected PersonalDataPageTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task Finding_an_address_lists_what_erasing_takes_and_erasing_after_confirming_leaves_nothing()
    {
        await App.CreateClient().PostLeadAsync(SampleLeads.Read("marketplace-install"));
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<PersonalDataPage>();

        await cut.InvokeAsync(() => cut.Find("#person-address").Input("Maja.Lindqvist@Fabrikam.example "));
        await cut.InvokeAsync(() => cut.Find("form").Submit());

        cut.WaitForAssertion(() => Assert.Contains("1 lead(s) with their raw bodies", cut.Find("#person-counts").TextContent));
        Assert.Contains("Lindqvist", cut.Find("#person-preview").TextContent);
        Assert.Equal("maja.lindqvist@fabrikam.example", cut.Find("#export-person-form input[name=address]").GetAttribute("value"));

        await cut.InvokeAsync(() => cut.Find("#erase-person").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("cannot be undone", dialogs.Markup));
        await cut.InvokeAsync(() => dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Erase").Click());

        cut.WaitForAssertion(() => Assert.Contains("Nothing is held for maja.lindqvist@fabrikam.example", cut.Find("#person-nothing").TextContent));
        Assert.Equal(0, await App.QueryAsync(db => db.Leads.CountAsync()));
    }

    [StoreFact]
    public async Task Something_that_is_not_an_address_is_refused_with_a_readable_message()
    {
        var cut = RenderPage<PersonalDataPage>();

        await cut.InvokeAsync(() => cut.Find("#person-address").Input("maja lindqvist"));
        await cut.InvokeAsync(() => cut.Find("form").Submit());

        cut.WaitForAssertion(() => Assert.Contains("Enter a whole e-mail address", cut.Markup));
        Assert.Empty(cut.FindAll("#person-preview"));
    }

    [StoreFact]
    public async Task Setting_retention_shows_how_many_leads_would_go_and_saves_it()
    {
        await App.CreateClient().PostLeadAsync(SampleLeads.Unique());
        await App.QueryAsync(db => db.Leads.ExecuteUpdateAsync(s => s.SetProperty(l => l.ReceivedAt, DateTime.UtcNow.AddMonths(-13))));
        var cut = RenderPage<PersonalDataPage>();
        // The saved setting is read first; a choice made before that would be overwritten by it (the select is disabled until then).
        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("#retention").GetAttribute("aria-busy")));

        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<int>>().Instance.ValueChanged.InvokeAsync(24));
        cut.WaitForAssertion(() => Assert.Contains("No lead is older than that now.", cut.Find("#retention-effect").TextContent));
        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<int>>().Instance.ValueChanged.InvokeAsync(12));
        cut.WaitForAssertion(() => Assert.Contains("1 lead(s) are older than that now", cut.Find("#retention-effect").TextContent));
        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<int>>().Instance.ValueChanged.InvokeAsync(24));
        await cut.InvokeAsync(() => cut.Find("#save-retention").Click());

        // Saved once the setting is in the store (the button is also disabled while saving).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string? saved;
        while ((saved = await App.QueryAsync(db => db.StoreSettings.Where(s => s.Key == Retention.SettingKey).Select(s => s.Value).SingleOrDefaultAsync())) is null)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "The retention setting was not saved.");
            await Task.Delay(20);
        }

        Assert.Equal("24", saved);
        cut.WaitForAssertion(() => Assert.True(cut.Find("#save-retention").HasAttribute("disabled")));
    }
}

[PostgresStore]
public sealed class PersonalDataPagePostgresTests() : PersonalDataPageTests(StoreProvider.Postgres);
