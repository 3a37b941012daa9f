namespace LeadPortal.Privacy;

public static class PrivacySetup
{
    /// <summary>A person's data (erase, export) and the retention of leads.</summary>
    public static IHostApplicationBuilder AddPrivacy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PersonalData>();
        builder.Services.AddSingleton<ErasureJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ErasureJob>());
        builder.Services.AddSingleton<Retention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Retention>());
        return builder;
    }
}
