using LeadPortal.Shared;

namespace LeadPortal.Responses;

/// <summary>
/// When a lead's first response is due, from its action and arrival: pure and allocation-free per lead, so the
/// dispatcher and the re-timing job compute thousands at once. Build one per settings (<see cref="From"/>): the time
/// zone and holidays are looked up once there. Every instant in and out is UTC; business time is counted in the
/// calendar's own zone, so a working day is 09:00–17:00 there on both sides of a daylight-saving change.
/// </summary>
public sealed class ResponseClock
{
    /// <summary>Partner Center marks a Contact me lead Expired this long after it arrived without a response, and hides its contact details.</summary>
    public static readonly TimeSpan PartnerCenterKeeps = TimeSpan.FromDays(14);

    /// <summary>"Due soon": due within this long (and not yet overdue).</summary>
    public static readonly TimeSpan DueSoonWindow = TimeSpan.FromHours(4);

    /// <summary>"Expiring in Partner Center": Partner Center expires the lead within this long.</summary>
    public static readonly TimeSpan ExpiringWindow = TimeSpan.FromDays(3);

    /// <summary>Days looked ahead for working time before a calendar is taken to have none (validation makes that impossible).</summary>
    private const int MaxDaysAhead = 3660;

    private readonly ResponseClockSettings _settings;
    private readonly TimeZoneInfo _zone;
    private readonly HashSet<DateOnly> _holidays;
    private readonly bool[] _workDays = new bool[7];

    private ResponseClock(ResponseClockSettings settings, TimeZoneInfo zone)
    {
        _settings = settings;
        _zone = zone;
        _holidays = [.. settings.Calendar.Holidays];
        foreach (var day in settings.Calendar.WorkDays)
        {
            _workDays[(int)day] = true;
        }
    }

    public ResponseClockSettings Settings => _settings;

    /// <summary>A clock for valid settings; throws with the settings' problems otherwise.</summary>
    public static ResponseClock From(ResponseClockSettings settings)
    {
        if (settings.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(settings));
        }

        BusinessCalendar.TryFindZone(settings.Calendar.TimeZone, out var zone);
        return new ResponseClock(settings.Copy(), zone);
    }

    /// <summary>Whether a lead of this action runs a clock at all: DNC, Partner Center's test leads and unknown actions do not.</summary>
    public static bool HasClock(string? actionCode, bool isTest) => !isTest && actionCode is LeadActions.ContactMe or LeadActions.GetItNow
        or LeadActions.TestDrive or LeadActions.AzurePortal;

    /// <summary>When the first response to a lead is due (UTC), or null when it runs no clock.</summary>
    public DateTime? DueAt(string? actionCode, bool isTest, DateTime receivedAtUtc)
    {
        if (!HasClock(actionCode, isTest))
        {
            return null;
        }

        var received = DateTime.SpecifyKind(receivedAtUtc, DateTimeKind.Utc);
        if (actionCode == LeadActions.ContactMe)
        {
            var hours = TimeSpan.FromHours(_settings.ContactMeHours);
            return _settings.ContactMeInBusinessHours ? AddBusinessTime(received, hours) : received + hours;
        }

        return _settings.OtherInBusinessDays
            ? AddBusinessTime(received, _settings.OtherDays * _settings.Calendar.DayLength)
            : AddLocalDays(received, _settings.OtherDays);
    }

    /// <summary>When Partner Center expires a Contact me lead (arrival + 14 days), or null for other actions.</summary>
    public static DateTime? PartnerCenterExpiresAt(string? actionCode, bool isTest, DateTime receivedAtUtc) =>
        actionCode == LeadActions.ContactMe && !isTest ? DateTime.SpecifyKind(receivedAtUtc, DateTimeKind.Utc) + PartnerCenterKeeps : null;

    /// <summary>
    /// <paramref name="amount"/> of working time after <paramref name="startUtc"/>: time outside opening hours, on days
    /// off and on holidays does not count. A lead that arrives at the weekend starts counting when the week's first
    /// working day opens; 3 business days of 09:00–17:00 from then end when the third day closes.
    /// </summary>
    public DateTime AddBusinessTime(DateTime startUtc, TimeSpan amount)
    {
        var remaining = amount;
        var startDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(startUtc, _zone));
        var calendar = _settings.Calendar;
        for (var i = 0; i < MaxDaysAhead; i++)
        {
            var day = startDay.AddDays(i);
            if (!_workDays[(int)day.DayOfWeek] || _holidays.Contains(day))
            {
                continue;
            }

            var opens = ToUtc(day.ToDateTime(calendar.Opens));
            var closes = ToUtc(day.ToDateTime(calendar.Closes));
            var from = startUtc > opens ? startUtc : opens;
            if (from >= closes)
            {
                continue;
            }

            var available = closes - from;
            if (remaining <= available)
            {
                return from + remaining;
            }

            remaining -= available;
        }

        throw new InvalidOperationException("The business calendar has no working time in the next ten years.");
    }

    /// <summary>The same local time <paramref name="days"/> calendar days later in the calendar's zone (23 or 25 hours across a DST change).</summary>
    public DateTime AddLocalDays(DateTime startUtc, int days) =>
        ToUtc(TimeZoneInfo.ConvertTimeFromUtc(startUtc, _zone).AddDays(days));

    /// <summary>A local wall time in the calendar's zone as UTC; a time inside a spring-forward gap is taken at the gap's end.</summary>
    private DateTime ToUtc(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (_zone.IsInvalidTime(local))
        {
            // The clocks jump past it: the first valid minute after the gap (gaps are whole minutes everywhere).
            do
            {
                local = local.AddMinutes(1);
            }
            while (_zone.IsInvalidTime(local));
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, _zone);
    }
}
