using Bunit;
using LeadPortal.Accounts;
using LeadPortal.Data;
using LeadPortal.Shared;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LeadPortal.Tests.Accounts;

/// <summary>The time zone settings page on SQLite; <see cref="TimeZoneSettingsPostgresTests"/> runs the same on PostgreSQL. The browser says America/New_York.</summary>
public class TimeZoneSettingsTests : BunitTestBase
{
    public TimeZoneSettingsTests() : this(StoreProvider.Sqlite)
    {
    }

    protected TimeZoneSettingsTests(StoreProvider provider) : base(provider)
    {
        Time.Now = new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
        JSInterop.Setup<string>("leadPortal.timeZone").SetResult("America/New_York");
    }

    private async Task AddSignedInUserAsync(string? zone = null)
    {
        await using var db = Store.CreateDbContext();
        db.Users.Add(new AppUser { Id = UserId, UserName = "sam@leadportal.test", Email = "sam@leadportal.test", TimeZone = zone, CreatedAt = Time.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync();
    }

    private Task<string?> StoredAsync() =>
        Store.QueryAsync(db => db.Users.Where(u => u.Id == UserId).Select(u => u.TimeZone).SingleAsync());

    private async Task ChooseAsync(IRenderedComponent<TimeZoneSettings> cut, string text)
    {
        await cut.InvokeAsync(() => cut.FindComponent<MudRadioGroup<bool>>().Instance.ValueChanged.InvokeAsync(true));
        await cut.InvokeAsync(() => cut.FindComponent<MudAutocomplete<string>>().Instance.ValueChanged.InvokeAsync(text));
    }

    [StoreFact]
    public async Task Someone_who_never_chose_sees_their_browsers_zone_with_its_offset()
    {
        await AddSignedInUserAsync();

        var cut = RenderPage<TimeZoneSettings>();

        cut.WaitForAssertion(() => Assert.Contains("Use my browser's time zone (currently (UTC-05:00) America/New_York)", cut.Find("#zone-source").TextContent));
        Assert.Contains("Times are shown in (UTC-05:00) America/New_York, your browser's zone.", cut.Find("#time-zone-now").TextContent);
        Assert.True(cut.Find("#zone-picker input").HasAttribute("disabled"));
    }

    [StoreFact]
    public async Task Choosing_a_zone_stores_it_and_the_open_circuit_shows_times_in_it_at_once()
    {
        await AddSignedInUserAsync();
        var cut = RenderPage<TimeZoneSettings>();
        cut.WaitForElement("#zone-source");

        await ChooseAsync(cut, "Asia/Tokyo");
        await cut.InvokeAsync(() => cut.Find("button#save-time-zone").Click());

        cut.WaitForAssertion(() => Assert.Contains("Times are shown in (UTC+09:00) Asia/Tokyo.", cut.Find("#time-zone-now").TextContent));
        Assert.Equal("Asia/Tokyo", await StoredAsync());
        var clock = Services.GetRequiredService<ViewerClock>();
        Assert.Equal("2026-01-15 21:00", clock.Format(Time.GetUtcNow().UtcDateTime));

        // Back to the browser's: nothing stored, and the browser's zone again.
        await cut.InvokeAsync(() => cut.FindComponent<MudRadioGroup<bool>>().Instance.ValueChanged.InvokeAsync(false));
        await cut.InvokeAsync(() => cut.Find("button#save-time-zone").Click());
        cut.WaitForAssertion(() => Assert.Contains("America/New_York, your browser's zone", cut.Find("#time-zone-now").TextContent));
        Assert.Null(await StoredAsync());
        Assert.Equal("2026-01-15 07:00", clock.Format(Time.GetUtcNow().UtcDateTime));
    }

    [StoreFact]
    public async Task A_stored_choice_is_shown_selected_and_a_whole_label_typed_in_is_understood()
    {
        await AddSignedInUserAsync("Europe/Stockholm");
        var cut = RenderPage<TimeZoneSettings>();

        cut.WaitForAssertion(() => Assert.Contains("Times are shown in (UTC+01:00) Europe/Stockholm.", cut.Find("#time-zone-now").TextContent));
        Assert.True(cut.FindComponent<MudRadioGroup<bool>>().Instance.Value);
        Assert.Equal("(UTC+01:00) Europe/Stockholm", cut.Find("#zone-picker input").GetAttribute("value"));
        Assert.False(cut.Find("#zone-picker input").HasAttribute("disabled"));

        await ChooseAsync(cut, "(UTC+05:45) Asia/Kathmandu");
        await cut.InvokeAsync(() => cut.Find("button#save-time-zone").Click());
        cut.WaitForAssertion(() => Assert.Contains("Asia/Kathmandu", cut.Find("#time-zone-now").TextContent));
        Assert.Equal("Asia/Kathmandu", await StoredAsync());
    }

    [StoreFact]
    public async Task An_unknown_zone_gets_a_readable_error_and_nothing_is_stored()
    {
        await AddSignedInUserAsync("Europe/Stockholm");
        var cut = RenderPage<TimeZoneSettings>();
        cut.WaitForElement("#zone-source");

        await ChooseAsync(cut, "Mars/Olympus");
        await cut.InvokeAsync(() => cut.Find("button#save-time-zone").Click());

        cut.WaitForAssertion(() => Assert.Contains("\"Mars/Olympus\" is not a time zone this server knows", cut.Find("#time-zone-error").TextContent));
        Assert.Equal("Europe/Stockholm", await StoredAsync());
        Assert.Equal("Europe/Stockholm", Services.GetRequiredService<ViewerClock>().Zone.Id);
    }

    [StoreFact]
    public async Task The_list_finds_zones_by_city_with_spaces_and_by_offset()
    {
        await AddSignedInUserAsync();
        var cut = RenderPage<TimeZoneSettings>();
        cut.WaitForElement("#zone-source");
        var search = cut.FindComponent<MudAutocomplete<string>>().Instance.SearchFunc;
        Assert.NotNull(search);
        async Task<List<string>> FindAsync(string text)
        {
            var pending = search!(text, CancellationToken.None);
            Assert.NotNull(pending);
            var found = await pending;
            return found?.OfType<string>().ToList() ?? [];
        }

        Assert.Contains("America/New_York", await FindAsync("new york"));
        // Typed text becomes the field's value as it is typed (so that a bad one can be refused): it still filters.
        await ChooseAsync(cut, "europe");
        var european = await FindAsync("europe");
        Assert.Contains("Europe/Stockholm", european);
        Assert.DoesNotContain("Pacific/Midway", european);
        Assert.Contains("Pacific/Midway", await FindAsync("(UTC+01:00) Europe/Stockholm"));
        Assert.Contains("Asia/Kolkata", await FindAsync("+05:30"));
        Assert.DoesNotContain("Europe/Stockholm", await FindAsync("+05:30"));
    }
}

[PostgresStore]
public sealed class TimeZoneSettingsPostgresTests() : TimeZoneSettingsTests(StoreProvider.Postgres);
