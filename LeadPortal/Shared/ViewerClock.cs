using Microsoft.JSInterop;

namespace LeadPortal.Shared;

/// <summary>The viewer's time zone (from the browser), per circuit; UTC until the browser has told it.</summary>
public sealed class ViewerClock(IJSRuntime js, TimeProvider time, ILogger<ViewerClock> logger)
{
    private TimeZoneInfo? _zone;

    public TimeZoneInfo Zone => _zone ?? TimeZoneInfo.Utc;

    public bool IsKnown => _zone is not null;

    /// <summary>Asks the browser once; call after the first render (JS interop is not there while prerendering).</summary>
    public async Task<TimeZoneInfo> EnsureAsync()
    {
        if (_zone is not null)
        {
            return _zone;
        }

        try
        {
            var id = await js.InvokeAsync<string>("leadPortal.timeZone");
            _zone = TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
        }
        catch (Exception ex) when (ex is JSException or InvalidOperationException or TaskCanceledException)
        {
            logger.LogDebug(ex, "The browser did not tell its time zone; showing UTC.");
            _zone = TimeZoneInfo.Utc;
        }

        return _zone;
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
