namespace LeadPortal.Background;

public static class BackgroundSetup
{
    /// <summary>What background work on several instances shares: this instance's name on leases, and job settings.</summary>
    public static IHostApplicationBuilder AddBackground(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<InstanceIdentity>();
        builder.Services.AddOptions<JobOptions>().Bind(builder.Configuration.GetSection(JobOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
