using System.Security.Claims;
using LeadPortal.Accounts;
using LeadPortal.Admin;
using LeadPortal.Data;
using LeadPortal.Notifications;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Notifications;

/// <summary>The app with its mail going to a real SMTP server on loopback.</summary>
public sealed class NotificationApp : IAsyncDisposable
{
    private NotificationApp(TestSmtpServer smtp, LeadPortalFactory app)
    {
        Smtp = smtp;
        App = app;
    }

    public TestSmtpServer Smtp { get; }
    public LeadPortalFactory App { get; }

    public static async Task<NotificationApp> StartAsync(StoreProvider provider = StoreProvider.Sqlite, IDictionary<string, string?>? settings = null)
    {
        var smtp = await TestSmtpServer.StartAsync();
        var all = new Dictionary<string, string?>(smtp.Settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = new LeadPortalFactory(provider, TempDatabase.NewPath(), all);
        _ = app.Server; // start it: the outbox loops run from here on
        return new NotificationApp(smtp, app);
    }

    public async Task<string> AddUserAsync(string email, string role, NotificationSettings? settings = null)
    {
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, await UserIdAsync(LeadPortalFactory.AdminEmail))], "test"));
        var created = await App.Services.GetRequiredService<UserAdmin>().CreateAsync(admin, email, null, role);
        Assert.True(created.Succeeded, created.Error);
        var id = await UserIdAsync(email);
        if (settings is not null)
        {
            await App.Services.GetRequiredService<NotificationPreferencesStore>().SaveAsync(id, settings);
        }

        return id;
    }

    public Task<string> UserIdAsync(string email) =>
        App.QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    public Task<List<OutgoingMail>> OutboxAsync() => App.QueryAsync(db => db.MailOutbox.OrderBy(m => m.Id).ToListAsync());

    /// <summary>Waits until the outbox has no event left to dispatch and no mail left to send.</summary>
    public async Task SettleAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var busy = await App.QueryAsync(async db =>
                await db.OutboxEvents.AnyAsync() || await db.MailOutbox.AnyAsync(m => m.Status == OutboxStatus.Pending));
            if (!busy)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("The outbox did not settle within 15 s.");
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
