using LeadPortal.Shared;

namespace LeadPortal.Leads;

public static class LeadsSetup
{
    public static IHostApplicationBuilder AddLeads(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LeadFeed>();
        // Arrivals written by other instances on the same store (PostgreSQL), announced here too.
        builder.Services.AddHostedService<LeadFeedRelay>();
        builder.Services.AddSingleton<LeadQuery>();
        builder.Services.AddSingleton<LeadWorkflow>();
        builder.Services.AddSingleton<LeadTasks>();
        builder.Services.AddSingleton<ReasonStore>();
        builder.Services.AddSingleton<GridEdits>();
        builder.Services.AddSingleton<RepeatPeople>();
        builder.Services.AddSingleton<LeadStats>();
        builder.Services.AddSingleton<SourceActivity>();
        builder.Services.AddSingleton<SavedViewStore>();
        builder.Services.AddSingleton<UserTimeZones>();
        builder.Services.AddScoped<ViewerClock>();
        builder.Services.AddScoped<InboxMemory>();
        return builder;
    }
}
