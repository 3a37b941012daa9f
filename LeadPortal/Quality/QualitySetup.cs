using LeadPortal.Outbox;

namespace LeadPortal.Quality;

public static class QualitySetup
{
    /// <summary>
    /// Lead quality: the rule switches and the dispatcher's rating of new leads. Before the other features' handlers
    /// (Program.cs calls this before AddNotifications): handlers run in the order they were registered.
    /// </summary>
    public static IHostApplicationBuilder AddQuality(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<QualitySettings>();
        builder.Services.AddSingleton<ILeadEventHandler, QualityHandler>();

        return builder;
    }
}
