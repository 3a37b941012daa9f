using System.Globalization;

namespace LeadPortal.Mapping;

/// <summary>How a profile shows dates: a .NET format in an IANA time zone, with invariant culture.</summary>
public sealed class DateRendering(string format, TimeZoneInfo timeZone)
{
    public static DateRendering Utc { get; } = new("yyyy-MM-dd HH:mm", TimeZoneInfo.Utc);

    public string Format { get; } = format;

    public TimeZoneInfo TimeZone { get; } = timeZone;

    public string Render(DateTime utc, string? format = null) =>
        ToLocal(utc).ToString(format ?? Format, CultureInfo.InvariantCulture);

    public DateTime ToLocal(DateTime utc)
    {
        // SQLite hands dates back as Unspecified; they were stored as UTC.
        var asUtc = utc.Kind switch
        {
            DateTimeKind.Utc => utc,
            DateTimeKind.Local => utc.ToUniversalTime(),
            _ => DateTime.SpecifyKind(utc, DateTimeKind.Utc),
        };
        return TimeZoneInfo.ConvertTimeFromUtc(asUtc, TimeZone);
    }
}
