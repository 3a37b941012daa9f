using LeadPortal.Outbox;

namespace LeadPortal.Campaigns;

public static class CampaignsSetup
{
    /// <summary>Campaign attribution: the admin's switch and the dispatcher's reading of new leads' Descriptions.</summary>
    public static IHostApplicationBuilder AddCampaigns(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CampaignSettings>();
        builder.Services.AddSingleton<ILeadEventHandler, CampaignHandler>();
        return builder;
    }
}
