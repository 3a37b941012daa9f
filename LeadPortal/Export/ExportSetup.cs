using LeadPortal.Mapping;

namespace LeadPortal.Export;

public static class ExportSetup
{
    public static IHostApplicationBuilder AddExport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MappingPreview, ExportPreview>();
        builder.Services.AddSingleton<ExportService>();
        return builder;
    }
}
