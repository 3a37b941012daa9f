using Bunit;
using LeadPortal.Data;
using LeadPortal.Shared;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Shared;

/// <summary>
/// The stored zone and <see cref="ViewerClock"/> preferring it, on SQLite; <see cref="UserTimeZonePostgresTests"/> runs
/// the same on PostgreSQL. The browser (JS interop) says America/New_York throughout.
/// </summary>
public class UserTimeZoneTests : BunitTestBase
{
    public UserTimeZoneTests() : this(StoreProvider.Sqlite)
    {
    }

    protected UserTimeZoneTests(StoreProvider provider) : base(provider)
    {
        Time.Now = new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
        JSInterop.Setup<string>("leadPortal.timeZone").SetResult("America/New_York");
    }

    private UserTimeZones Zones => Services.GetRequiredService<UserTimeZones>();

    private async Task AddSignedInUserAsync()
    {
        await using var db = Store.CreateDbContext();
        db.Users.Add(new AppUser { Id = UserId, UserName = "sam@leadportal.test", Email = "sam@leadportal.test", CreatedAt = Time.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync();
    }

    private Task<string?> StoredAsync() =>
        Store.QueryAsync(db => db.Users.Where(u => u.Id == UserId).Select(u => u.TimeZone).SingleAsync());

    [StoreFact]
    public async Task A_chosen_zone_is_stored_read_back_and_cleared_again()
    {
        await AddSignedInUserAsync();
        Assert.Null(await Zones.GetAsync(UserId));

        await Zones.SaveAsync(UserId, " Asia/Tokyo ");
        Assert.Equal("Asia/Tokyo", await StoredAsync());
        Assert.Equal("Asia/Tokyo", (await Zones.GetAsync(UserId))?.Id);

        await Zones.SaveAsync(UserId, null);
        Assert.Null(await StoredAsync());
        Assert.Null(await Zones.GetAsync(UserId));
    }

    [StoreFact]
    public async Task An_unknown_zone_is_refused_with_a_readable_message_and_nothing_is_stored()
    {
        await AddSignedInUserAsync();
        await Zones.SaveAsync(UserId, "Europe/Berlin");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Zones.SaveAsync(UserId, "Mars/Olympus"));
        Assert.Contains("\"Mars/Olympus\" is not a time zone this server knows", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Zones.SaveAsync(UserId, new string('x', 200)));
        Assert.Equal("Europe/Berlin", await StoredAsync());
    }

    [StoreFact]
    public async Task A_zone_stored_that_the_server_no_longer_knows_counts_as_none()
    {
        await AddSignedInUserAsync();
        await Store.QueryAsync(db => db.Users.Where(u => u.Id == UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZone, "Gone/Zone")));

        Assert.Null(await Zones.GetAsync(UserId));
        Assert.Equal("America/New_York", (await Services.GetRequiredService<ViewerClock>().EnsureAsync()).Id);
    }

    [StoreFact]
    public void The_list_has_each_IANA_zone_once_with_its_offset_on_the_pinned_day()
    {
        var choices = Zones.Choices();

        Assert.Equal(choices.Count, choices.Select(c => c.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains(choices, c => c.Id == "UTC");
        Assert.Equal("(UTC+01:00) Europe/Stockholm", choices.Single(c => c.Id == "Europe/Stockholm").Label);
        Assert.Equal("(UTC-05:00) America/New_York", choices.Single(c => c.Id == "America/New_York").Label);
        Assert.Equal("(UTC+05:45) Asia/Kathmandu", choices.Single(c => c.Id == "Asia/Kathmandu").Label);
        // West to east.
        Assert.True(choices.Select(c => c.Offset).SequenceEqual(choices.Select(c => c.Offset).Order()));

        // Summer time moves the offset: the list is of now, not of the zone's standard time.
        Time.Now = new DateTimeOffset(2026, 7, 15, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal("(UTC+02:00) Europe/Stockholm", Zones.Choices().Single(c => c.Id == "Europe/Stockholm").Label);
    }

    [StoreFact]
    public async Task The_viewer_clock_prefers_the_stored_zone_to_the_browsers()
    {
        await AddSignedInUserAsync();
        await Zones.SaveAsync(UserId, "Asia/Tokyo");
        var clock = Services.GetRequiredService<ViewerClock>();

        Assert.Equal("Asia/Tokyo", (await clock.EnsureAsync()).Id);
        Assert.True(clock.IsChosen);
        Assert.Equal("2026-01-15 21:00", clock.Format(Time.GetUtcNow().UtcDateTime));
        Assert.Equal(new DateOnly(2026, 1, 15), clock.Today);
        Assert.Equal("America/New_York", (await clock.BrowserZoneAsync()).Id);
    }

    [StoreFact]
    public async Task Without_a_stored_zone_the_viewer_clock_takes_the_browsers_and_a_saved_choice_applies_at_once()
    {
        await AddSignedInUserAsync();
        var clock = Services.GetRequiredService<ViewerClock>();

        Assert.Equal("America/New_York", (await clock.EnsureAsync()).Id);
        Assert.False(clock.IsChosen);
        Assert.Equal("2026-01-15 07:00", clock.Format(Time.GetUtcNow().UtcDateTime));

        await clock.UseAsync(await Zones.SaveAsync(UserId, "Asia/Kolkata"));
        Assert.Equal("2026-01-15 17:30", clock.Format(Time.GetUtcNow().UtcDateTime));
        Assert.True(clock.IsChosen);

        await clock.UseAsync(await Zones.SaveAsync(UserId, null));
        Assert.Equal("America/New_York", clock.Zone.Id);
        Assert.False(clock.IsChosen);
    }
}

[PostgresStore]
public sealed class UserTimeZonePostgresTests() : UserTimeZoneTests(StoreProvider.Postgres);
