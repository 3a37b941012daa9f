using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace LeadPortal.Responses;

/// <summary>
/// How long a lead may wait for its first response, by action. Section <c>ResponseClocks</c> gives the starting values;
/// an admin's change on Admin › Response times is kept in the store and wins from then on.
/// </summary>
public sealed class ResponseClockSettings : IValidatableObject
{
    public const string Section = "ResponseClocks";

    /// <summary>Contact me: hours until a first response is due. Microsoft asks for 24, counted on the wall clock.</summary>
    public int ContactMeHours { get; set; } = 24;

    /// <summary>Count Contact me's hours in business hours (<see cref="Calendar"/>) instead of on the wall clock.</summary>
    public bool ContactMeInBusinessHours { get; set; }

    /// <summary>Get it now / free trial, test drive and Azure portal: days until a first response is due.</summary>
    public int OtherDays { get; set; } = 3;

    /// <summary>Count the other actions' days as business days (a working day of <see cref="Calendar"/> each), not calendar days.</summary>
    public bool OtherInBusinessDays { get; set; } = true;

    public BusinessCalendar Calendar { get; set; } = new();

    /// <summary>The owner of an unanswered lead is mailed this many hours before its first response is due; 0 sends no reminder.</summary>
    public int RemindOwnerHours { get; set; } = 2;

    /// <summary>
    /// Who is told, besides the owner (or the admins, for an unassigned lead), when a lead's first response is overdue:
    /// users by id or e-mail address (configuration names them by address, before they may exist).
    /// </summary>
    public List<string> EscalateTo { get; set; } = [];

    public const int MaxContactMeHours = 14 * 24;
    public const int MaxOtherDays = 60;
    public const int MaxRemindOwnerHours = 72;
    public const int MaxEscalateTo = 50;

    /// <summary>What is wrong, one sentence each naming the setting as the page labels it; empty when nothing is.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ContactMeHours is < 1 or > MaxContactMeHours)
        {
            problems.Add($"Contact me: the response is due after 1 to {MaxContactMeHours} hours (Partner Center expires the lead after 14 days); {ContactMeHours} is out of range.");
        }

        if (OtherDays is < 1 or > MaxOtherDays)
        {
            problems.Add($"Other actions: the response is due after 1 to {MaxOtherDays} days; {OtherDays} is out of range.");
        }

        if (RemindOwnerHours is < 0 or > MaxRemindOwnerHours)
        {
            problems.Add($"Reminder: the owner is reminded 0 to {MaxRemindOwnerHours} hours before the response is due (0: no reminder); {RemindOwnerHours} is out of range.");
        }

        if (EscalateTo.Count > MaxEscalateTo)
        {
            problems.Add($"Escalation: at most {MaxEscalateTo} users ({EscalateTo.Count} given).");
        }

        if (EscalateTo.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("Escalation: a user is blank; name each by e-mail address.");
        }

        problems.AddRange(Calendar.Problems());
        return problems;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Problems().Select(p => new ValidationResult($"{Section}: {p}", [nameof(ResponseClockSettings)]));

    public ResponseClockSettings Copy() => new()
    {
        ContactMeHours = ContactMeHours,
        ContactMeInBusinessHours = ContactMeInBusinessHours,
        OtherDays = OtherDays,
        OtherInBusinessDays = OtherInBusinessDays,
        RemindOwnerHours = RemindOwnerHours,
        EscalateTo = [.. EscalateTo],
        Calendar = new BusinessCalendar
        {
            WorkDays = [.. Calendar.WorkDays],
            Opens = Calendar.Opens,
            Closes = Calendar.Closes,
            TimeZone = Calendar.TimeZone,
            Holidays = [.. Calendar.Holidays],
        },
    };

    /// <summary>Whether two settings give every lead the same due time (what decides if open leads are re-timed).</summary>
    public bool SameClocksAs(ResponseClockSettings other) =>
        ContactMeHours == other.ContactMeHours && ContactMeInBusinessHours == other.ContactMeInBusinessHours
        && OtherDays == other.OtherDays && OtherInBusinessDays == other.OtherInBusinessDays
        && (!UsesCalendar && !other.UsesCalendar || Calendar.SameAs(other.Calendar));

    /// <summary>Whether any clock counts business time (the calendar matters only then).</summary>
    public bool UsesCalendar => ContactMeInBusinessHours || OtherInBusinessDays;
}

/// <summary>Business hours: work days, opening hours in one time zone, and holidays. Only clocks set to business time use it.</summary>
public sealed class BusinessCalendar
{
    public List<DayOfWeek> WorkDays { get; set; } = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>Local time the working day starts, in <see cref="TimeZone"/>.</summary>
    public TimeOnly Opens { get; set; } = new(9, 0);

    /// <summary>Local time the working day ends.</summary>
    public TimeOnly Closes { get; set; } = new(17, 0);

    /// <summary>An IANA time zone (Europe/Stockholm, America/New_York) or UTC.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Days nobody works, in the calendar's zone.</summary>
    public List<DateOnly> Holidays { get; set; } = [];

    public const int MaxHolidays = 400;

    /// <summary>The length of one working day.</summary>
    public TimeSpan DayLength => Closes - Opens;

    public IEnumerable<string> Problems()
    {
        if (WorkDays.Count == 0)
        {
            yield return "Business hours: pick at least one work day.";
        }

        if (WorkDays.Any(d => !Enum.IsDefined(d)))
        {
            yield return "Business hours: a work day is not a day of the week.";
        }

        if (Closes <= Opens)
        {
            yield return $"Business hours: the day must close after it opens ({Opens:HH\\:mm} to {Closes:HH\\:mm} is not a working day).";
        }

        if (!TryFindZone(TimeZone, out _))
        {
            yield return $"Business hours: \"{TimeZone}\" is not a time zone this server knows; use an IANA name such as Europe/Stockholm or UTC.";
        }

        if (Holidays.Count > MaxHolidays)
        {
            yield return $"Business hours: at most {MaxHolidays} holidays ({Holidays.Count} given).";
        }
    }

    public bool SameAs(BusinessCalendar other) =>
        WorkDays.Order().SequenceEqual(other.WorkDays.Order()) && Opens == other.Opens && Closes == other.Closes
        && string.Equals(TimeZone.Trim(), other.TimeZone.Trim(), StringComparison.OrdinalIgnoreCase)
        && Holidays.Distinct().Order().SequenceEqual(other.Holidays.Distinct().Order());

    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var found))
        {
            zone = found;
            return true;
        }

        return false;
    }

    /// <summary>Holidays as the page writes them: yyyy-MM-dd, one a line, in order.</summary>
    public static string FormatHolidays(IEnumerable<DateOnly> days) =>
        string.Join('\n', days.Distinct().Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    /// <summary>Holidays from text (lines, commas or spaces between days); a line that is not a day is a problem named in words.</summary>
    public static (List<DateOnly> Days, List<string> Problems) ParseHolidays(string? text)
    {
        var days = new List<DateOnly>();
        var problems = new List<string>();
        foreach (var part in (text ?? "").Split(['\n', '\r', ',', ';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (DateOnly.TryParseExact(part, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                days.Add(day);
            }
            else
            {
                problems.Add($"Holidays: \"{part}\" is not a day written yyyy-MM-dd (e.g. 2026-12-24).");
            }
        }

        return (days.Distinct().Order().ToList(), problems);
    }
}
