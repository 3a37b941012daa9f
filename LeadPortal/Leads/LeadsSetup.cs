namespace LeadPortal.Leads;

public static class LeadsSetup
{
    public static IHostApplicationBuilder AddLeads(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LeadFeed>();
        return builder;
    }
}
