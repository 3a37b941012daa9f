using LeadPortal.Outbox;

namespace LeadPortal.Notifications;

public static class NotificationsSetup
{
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>()
            .Bind(builder.Configuration.GetSection(SmtpOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.From) || MimeKit.MailboxAddress.TryParse(o.From, out _), "Smtp:From is not an e-mail address.")
            .ValidateOnStart();
        builder.Services.AddOptions<NotificationOptions>()
            .Bind(builder.Configuration.GetSection(NotificationOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.RetryBaseDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.RetryBaseDelay, "Notifications:RetryBaseDelay must be positive and at most MaxRetryDelay.")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.ScheduleInterval > TimeSpan.Zero, "Notifications:PollInterval and ScheduleInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PortalLinks>();
        builder.Services.AddSingleton<MailComposer>();
        builder.Services.AddSingleton<Unsubscribe>();
        builder.Services.AddSingleton<AdminAlerts>();
        builder.Services.AddSingleton<ResponseReminders>();
        builder.Services.AddSingleton<NotificationPreferencesStore>();
        builder.Services.AddSingleton<MailLogQuery>();
        builder.Services.AddSingleton<ILeadEventHandler, NotificationHandler>();
        builder.Services.AddSingleton<MailSender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MailSender>());
        builder.Services.AddSingleton<NotificationScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationScheduler>());
        return builder;
    }
}
