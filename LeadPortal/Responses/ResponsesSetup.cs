using LeadPortal.Data;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Responses;

public static class ResponsesSetup
{
    /// <summary>Response clocks: the settings, the dispatcher's handler that times new leads, and the re-timing job.</summary>
    public static IHostApplicationBuilder AddResponses(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ResponseClockSettings.Section);
        builder.Services.AddOptions<ResponseClockSettings>()
            .Bind(section)
            .PostConfigure(settings => WorkDaysAsGiven(section, settings))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ILeadEventHandler, ResponseClockHandler>();
        builder.Services.AddSingleton<ResponseTimes>();
        builder.Services.AddSingleton<ResponseStats>();
        builder.Services.AddSingleton<ResponseClockJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ResponseClockJob>());
        return builder;
    }

    public const string TimedKey = "response-clocks.timed";

    /// <summary>
    /// Leads stored before response clocks existed have no due time: the first start with clocks times them with the
    /// re-timing job (once per store, a mark in the store; a migration is frozen text and cannot count business days).
    /// </summary>
    public static async Task EnsureResponseClocksAsync(this WebApplication app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<LeadPortalDbContext>>().CreateDbContextAsync();
        if (await db.StoreSettings.AnyAsync(s => s.Key == TimedKey))
        {
            return;
        }

        db.StoreSettings.Add(new StoreSetting { Key = TimedKey, Value = "1" });
        await db.SaveChangesAsync();
        if (await db.Leads.AnyAsync(l => l.FirstResponseAt == null && !l.IsTest && l.ResponseDueAt == null))
        {
            await app.Services.GetRequiredService<ResponseClockJob>().StartOrRestartAsync(new System.Security.Claims.ClaimsPrincipal());
        }
    }

    /// <summary>The binder adds configured work days to the default Monday–Friday; the ones given replace them instead.</summary>
    private static void WorkDaysAsGiven(IConfigurationSection section, ResponseClockSettings settings)
    {
        var days = section.GetSection("Calendar:WorkDays");
        if (days.GetChildren().Any())
        {
            settings.Calendar.WorkDays = days.GetChildren().Select(c => c.Get<DayOfWeek>()).Distinct().Order().ToList();
        }
    }
}
