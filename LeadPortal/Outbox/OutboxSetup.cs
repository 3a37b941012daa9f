namespace LeadPortal.Outbox;

public static class OutboxSetup
{
    /// <summary>The shared part of mail and forwarding: events written with each change, dispatched into outbox rows.</summary>
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OutboxSignals>();
        builder.Services.AddSingleton<LeadEventDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LeadEventDispatcher>());
        return builder;
    }
}
