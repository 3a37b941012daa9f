namespace LeadPortal.Import;

public static class ImportSetup
{
    /// <summary>CSV import (Leads › Import): the options, the temporary files, the steps and the background job.</summary>
    public static IHostApplicationBuilder AddImport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().Bind(builder.Configuration.GetSection(ImportOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ImportFiles>();
        builder.Services.AddSingleton<ImportJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ImportJob>());
        builder.Services.AddSingleton<ImportService>();
        return builder;
    }
}
