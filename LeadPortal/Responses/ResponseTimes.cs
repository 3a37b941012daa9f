using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadPortal.Audit;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Responses;

/// <summary>The response clock settings in force and where they come from.</summary>
public sealed record ResponseTimesView(ResponseClockSettings Settings, bool Saved);

/// <summary>
/// The response clock settings: configuration's <c>ResponseClocks</c> section until an admin saves them on the page,
/// then the saved ones (a <see cref="StoreSetting"/> row, so every instance reads the same). A save that changes a clock
/// re-times the unanswered leads in the background (<see cref="ResponseClockJob"/>).
/// </summary>
public sealed class ResponseTimes(
    IDbContextFactory<LeadPortalDbContext> dbFactory, IOptions<ResponseClockSettings> configured, AuditLog audit, ResponseClockJob job)
{
    public const string SettingKey = "response-clocks";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<ResponseTimesView> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ReadAsync(db, configured.Value, cancellationToken);
    }

    /// <summary>The settings in force, read in the caller's context (the dispatcher's transaction, a job's batch).</summary>
    public static async Task<ResponseTimesView> ReadAsync(LeadPortalDbContext db, ResponseClockSettings configured, CancellationToken cancellationToken)
    {
        var value = await db.StoreSettings.AsNoTracking().Where(s => s.Key == SettingKey).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken);
        if (!string.IsNullOrEmpty(value) && Deserialize(value) is { } saved && saved.Problems().Count == 0)
        {
            return new ResponseTimesView(saved, true);
        }

        return new ResponseTimesView(configured.Copy(), false);
    }

    /// <summary>
    /// Saves the settings: the problems (and nothing saved) when they are not valid. A change of a clock starts re-timing
    /// the open leads; <paramref name="retiming"/> then says how many (0 when the clocks stayed the same).
    /// </summary>
    public async Task<(IReadOnlyList<string> Problems, int Retiming)> SaveAsync(ClaimsPrincipal actor, ResponseClockSettings settings, CancellationToken cancellationToken = default)
    {
        settings = settings.Copy();
        settings.Calendar.TimeZone = settings.Calendar.TimeZone.Trim();
        settings.Calendar.WorkDays = settings.Calendar.WorkDays.Distinct().Order().ToList();
        settings.Calendar.Holidays = settings.Calendar.Holidays.Distinct().Order().ToList();
        settings.EscalateTo = settings.EscalateTo.Select(u => u.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (settings.Problems() is { Count: > 0 } problems)
        {
            return (problems, 0);
        }

        ResponseClockSettings before;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await UnknownUsersAsync(db, settings.EscalateTo, cancellationToken) is { Count: > 0 } unknown)
            {
                return ([.. unknown.Select(u => $"Escalation: \"{u}\" is not a user of LeadPortal.")], 0);
            }

            before = (await ReadAsync(db, configured.Value, cancellationToken)).Settings;
            var row = await db.StoreSettings.SingleOrDefaultAsync(s => s.Key == SettingKey, cancellationToken);
            if (row is null)
            {
                db.StoreSettings.Add(row = new StoreSetting { Key = SettingKey });
            }

            row.Value = JsonSerializer.Serialize(settings, Json);
            await db.SaveChangesAsync(cancellationToken);
        }

        await audit.RecordAsync(actor, AuditActions.ResponseTimesChanged, "Response times", Describe(settings), cancellationToken);
        var retiming = before.SameClocksAs(settings) ? 0 : await job.StartOrRestartAsync(actor, cancellationToken);
        return ([], retiming);
    }

    /// <summary>The named users (ids or addresses) that match no user.</summary>
    private static async Task<List<string>> UnknownUsersAsync(LeadPortalDbContext db, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return [];
        }

        var upper = names.Select(n => n.ToUpperInvariant()).ToList();
        var known = await db.Users.AsNoTracking().Where(u => names.Contains(u.Id) || upper.Contains(u.NormalizedEmail!))
            .Select(u => new { u.Id, u.NormalizedEmail }).ToListAsync(cancellationToken);
        return names.Where(n => !known.Any(u => u.Id == n || u.NormalizedEmail == n.ToUpperInvariant())).ToList();
    }

    /// <summary>The settings in one line, for the audit log.</summary>
    public static string Describe(ResponseClockSettings s)
    {
        var calendar = s.Calendar;
        var text = $"Contact me {s.ContactMeHours} h ({(s.ContactMeInBusinessHours ? "business hours" : "wall clock")}); "
            + $"other actions {s.OtherDays} {(s.OtherInBusinessDays ? "business" : "calendar")} days; "
            + (s.RemindOwnerHours > 0 ? $"owner reminded {s.RemindOwnerHours} h before" : "no reminder")
            + $", overdue leads escalated to {s.EscalateTo.Count} user(s)";
        return s.UsesCalendar
            ? text + $"; business hours {string.Join(",", calendar.WorkDays.Select(d => d.ToString()[..3]))} {calendar.Opens:HH\\:mm}–{calendar.Closes:HH\\:mm} {calendar.TimeZone}, {calendar.Holidays.Count} holiday(s)"
            : text;
    }

    private static ResponseClockSettings? Deserialize(string value)
    {
        try
        {
            return JsonSerializer.Deserialize<ResponseClockSettings>(value, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
