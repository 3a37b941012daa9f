namespace LeadPortal.Leads;

public static class LeadsSetup
{
    public static IHostApplicationBuilder AddLeads(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LeadFeed>();
        builder.Services.AddSingleton<LeadQuery>();
        builder.Services.AddSingleton<LeadWorkflow>();
        builder.Services.AddSingleton<LeadStats>();
        builder.Services.AddSingleton<SavedViewStore>();
        builder.Services.AddScoped<ViewerClock>();
        builder.Services.AddScoped<InboxMemory>();
        return builder;
    }
}
