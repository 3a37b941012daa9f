using LeadPortal.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace LeadPortal.Shared;

/// <summary>
/// The zone the viewer sees times in, per circuit: the one they chose in settings, else their browser's; UTC until
/// <see cref="EnsureAsync"/> has found out.
/// </summary>
public sealed class ViewerClock(IJSRuntime js, AuthenticationStateProvider auth, UserTimeZones zones, TimeProvider time, ILogger<ViewerClock> logger)
{
    private TimeZoneInfo? _zone;
    private TimeZoneInfo? _browser;

    public TimeZoneInfo Zone => _zone ?? TimeZoneInfo.Utc;

    public bool IsKnown => _zone is not null;

    /// <summary>Whether <see cref="Zone"/> is the one the user chose in settings, not their browser's.</summary>
    public bool IsChosen { get; private set; }

    /// <summary>
    /// Finds the zone once: the stored choice (a database read, so prerendered pages can use it too), else the browser's,
    /// which needs JS interop: call after the first render.
    /// </summary>
    public async Task<TimeZoneInfo> EnsureAsync()
    {
        if (_zone is not null)
        {
            return _zone;
        }

        var chosen = await ChosenZoneAsync();
        var zone = chosen ?? await BrowserZoneAsync();
        // Another caller in this circuit may have found it meanwhile (or the user saved a choice): theirs stands.
        if (_zone is null)
        {
            _zone = zone;
            IsChosen = chosen is not null;
        }

        return _zone;
    }

    /// <summary>The browser's own zone, whatever the user chose; UTC when the browser does not say (or while prerendering).</summary>
    public async Task<TimeZoneInfo> BrowserZoneAsync()
    {
        if (_browser is not null)
        {
            return _browser;
        }

        try
        {
            var id = await js.InvokeAsync<string>("leadPortal.timeZone");
            _browser = TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
        }
        catch (Exception ex) when (ex is JSException or InvalidOperationException or TaskCanceledException)
        {
            logger.LogDebug(ex, "The browser did not tell its time zone; showing UTC.");
            return TimeZoneInfo.Utc;
        }

        return _browser;
    }

    /// <summary>After the user saved a choice in settings: this circuit shows times in it at once (null: the browser's).</summary>
    public async Task UseAsync(TimeZoneInfo? chosen)
    {
        var zone = chosen ?? await BrowserZoneAsync();
        _zone = zone;
        IsChosen = chosen is not null;
    }

    private async Task<TimeZoneInfo?> ChosenZoneAsync()
    {
        try
        {
            var userId = (await auth.GetAuthenticationStateAsync()).User.UserId();
            return userId is null ? null : await zones.GetAsync(userId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Times in the browser's zone beat a page that does not open.
            logger.LogWarning(ex, "Could not read the user's time zone; using the browser's.");
            return null;
        }
    }

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    public DateOnly Today => DateOnly.FromDateTime(ToLocal(time.GetUtcNow().UtcDateTime));

    /// <summary>The UTC instant a local calendar day starts at.</summary>
    public DateTime StartOfDayUtc(DateOnly day) => StartOfDayUtc(day, Zone);

    public static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A day that starts inside a DST gap starts at the end of the gap.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    public string Format(DateTime utc, string format = "yyyy-MM-dd HH:mm") =>
        ToLocal(utc).ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Short enough for a grid column: "30 Nov 23:41" this year, "30 Nov 2025" before.</summary>
    public string FormatShort(DateTime utc)
    {
        var local = ToLocal(utc);
        return local.ToString(local.Year == Today.Year ? "d MMM HH:mm" : "d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
    }

    public string ZoneLabel => Zone.Id == "UTC" || Zone.Id == "Etc/UTC" ? "UTC" : Zone.Id;
}
