namespace LeadPortal.Import;

public static class ImportSetup
{
    /// <summary>CSV import (Leads › Import): the options, the temporary files, the steps, the background job and the reconciliation.</summary>
    public static IHostApplicationBuilder AddImport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().Bind(builder.Configuration.GetSection(ImportOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ImportFiles>();
        builder.Services.AddSingleton<ImportJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ImportJob>());
        builder.Services.AddSingleton<ImportService>();
        builder.Services.AddSingleton<Reconciliation>();
        return builder;
    }
}
