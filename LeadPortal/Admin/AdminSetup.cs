namespace LeadPortal.Admin;

public static class AdminSetup
{
    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UserAdmin>();
        builder.Services.AddSingleton<DeliveryLogQuery>();
        builder.Services.AddSingleton<ReprocessJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReprocessJob>());
        builder.Services.AddSingleton<DeliveryLogPurger>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeliveryLogPurger>());
        builder.Services.AddSingleton<TestLeadSender>();
        builder.Services.AddHttpClient(nameof(TestLeadSender))
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
            {
                // The test lead goes to this process over loopback, where the certificate names the public host.
                ServerCertificateCustomValidationCallback = (request, _, _, errors) =>
                    errors == System.Net.Security.SslPolicyErrors.None || request.RequestUri?.IsLoopback == true,
            });
        return builder;
    }
}
