namespace LeadPortal.Audit;

public static class AuditSetup
{
    /// <summary>Who did what: every feature records its admin actions here, and the Audit page reads them.</summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<AuditQuery>();
        return builder;
    }
}
