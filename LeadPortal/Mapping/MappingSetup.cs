namespace LeadPortal.Mapping;

public static class MappingSetup
{
    /// <summary>Mapping profiles and their store; the preview the editor shows comes from Export (see <see cref="MappingPreview"/>).</summary>
    public static IHostApplicationBuilder AddMapping(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MappingProfileStore>();
        return builder;
    }
}
