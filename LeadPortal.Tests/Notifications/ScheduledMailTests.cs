using LeadPortal.Accounts;
using LeadPortal.Data;
using LeadPortal.Notifications;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Notifications;

/// <summary>On SQLite; <see cref="ScheduledMailPostgresTests"/> runs the same on PostgreSQL.</summary>
public class ScheduledMailTests : StoreAppTests
{
    public ScheduledMailTests() : base(StoreProvider.Sqlite)
    {
    }

    protected ScheduledMailTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task The_digest_holds_exactly_the_previous_day_in_the_users_zone_and_goes_once()
    {
        // 03:00 UTC on 15 June is 08:45 in Kathmandu (+05:45): the digest at 08:00 is due, for 14 June local,
        // which runs from 13 June 18:15 UTC to 14 June 18:15 UTC.
        var clock = new FixedTime(new DateTimeOffset(2026, 6, 15, 3, 0, 0, TimeSpan.Zero));
        await using var smtp = await TestSmtpServer.StartAsync();
        await using var factory = NewApp(smtp.Settings);
        await using var app = factory.WithWebHostBuilder(web => web.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var store = app.Services.GetRequiredService<NotificationPreferencesStore>();
        var adminId = await UserIdAsync(app, LeadPortalFactory.AdminEmail);
        await store.SaveAsync(adminId, NotificationSettings.Default with
        {
            NewLeads = NewLeadMail.Off,
            DailyDigest = true,
            DigestTime = new TimeOnly(8, 0),
            TimeZone = "Asia/Kathmandu",
        });

        await AddLeadAsync(app, "Before", new DateTime(2026, 6, 13, 18, 14, 59, DateTimeKind.Utc));
        await AddLeadAsync(app, "FirstOfDay", new DateTime(2026, 6, 13, 18, 15, 0, DateTimeKind.Utc));
        await AddLeadAsync(app, "Midday", new DateTime(2026, 6, 14, 6, 0, 0, DateTimeKind.Utc));
        await AddLeadAsync(app, "Validation", new DateTime(2026, 6, 14, 7, 0, 0, DateTimeKind.Utc), isTest: true);
        await AddLeadAsync(app, "LastOfDay", new DateTime(2026, 6, 14, 18, 14, 59, DateTimeKind.Utc));
        await AddLeadAsync(app, "NextDay", new DateTime(2026, 6, 14, 18, 15, 0, DateTimeKind.Utc));

        var scheduler = app.Services.GetRequiredService<NotificationScheduler>();
        Assert.Equal(1, await scheduler.RunAsync());
        Assert.Equal(0, await scheduler.RunAsync());

        var digest = Assert.Single(await smtp.WaitForAsync(LeadPortalFactory.AdminEmail));
        Assert.Equal("LeadPortal: 3 new leads on Sunday 14 June 2026", digest.Subject);
        foreach (var included in new[] { "FirstOfDay", "Midday", "LastOfDay" })
        {
            Assert.Contains(included, digest.TextBody);
            Assert.Contains(included, digest.HtmlBody);
        }

        foreach (var excluded in new[] { "Before", "Validation", "NextDay" })
        {
            Assert.DoesNotContain(excluded, digest.TextBody);
        }

        // Before the digest time the next day nothing is due; after it, the next day's one lead.
        clock.Now = new DateTimeOffset(2026, 6, 16, 2, 0, 0, TimeSpan.Zero);
        Assert.Equal(0, await scheduler.RunAsync());
        clock.Now = new DateTimeOffset(2026, 6, 16, 2, 30, 0, TimeSpan.Zero);
        Assert.Equal(1, await scheduler.RunAsync());
        var next = (await smtp.WaitForAsync(LeadPortalFactory.AdminEmail, 2))[^1];
        Assert.Equal("LeadPortal: 1 new lead on Monday 15 June 2026", next.Subject);
        Assert.Contains("NextDay", next.TextBody);
    }

    [StoreFact]
    public async Task Intake_silence_raises_one_alert_per_silent_period()
    {
        var clock = new FixedTime(new DateTimeOffset(2026, 6, 15, 12, 0, 0, TimeSpan.Zero));
        await using var smtp = await TestSmtpServer.StartAsync();
        var settings = new Dictionary<string, string?>(smtp.Settings) { ["Notifications:IntakeSilenceAlert"] = "1.00:00:00" };
        await using var factory = NewApp(settings);
        await using var app = factory.WithWebHostBuilder(web => web.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var scheduler = app.Services.GetRequiredService<NotificationScheduler>();

        // Never a lead: a new portal is not "silent".
        Assert.Equal(0, await scheduler.RunAsync());
        await AddLeadAsync(app, "Last", clock.Now.UtcDateTime);
        clock.Now = clock.Now.AddHours(23);
        Assert.Equal(0, await scheduler.RunAsync());
        clock.Now = clock.Now.AddHours(2);
        Assert.Equal(1, await scheduler.RunAsync());
        clock.Now = clock.Now.AddHours(5);
        Assert.Equal(0, await scheduler.RunAsync());

        var alert = Assert.Single(await smtp.WaitForAsync(LeadPortalFactory.AdminEmail));
        Assert.Equal("LeadPortal alert: no leads have arrived", alert.Subject);
        Assert.Contains("2026-06-15 12:00 UTC", alert.TextBody);
        Assert.Contains("/admin/endpoint", alert.TextBody);

        // A lead, then silence again: a new period, a new alert.
        await AddLeadAsync(app, "Later", clock.Now.UtcDateTime);
        clock.Now = clock.Now.AddDays(2);
        Assert.Equal(1, await scheduler.RunAsync());
        Assert.Equal(2, (await smtp.WaitForAsync(LeadPortalFactory.AdminEmail, 2)).Count);
    }

    private static Task<string> UserIdAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string email) =>
        QueryAsync(app, db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private static async Task<T> QueryAsync<T>(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, Func<LeadPortalDbContext, Task<T>> query)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<LeadPortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    private static Task AddLeadAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string company, DateTime receivedAt, bool isTest = false) =>
        QueryAsync(app, async db =>
        {
            db.Leads.Add(new Lead
            {
                ReceivedAt = receivedAt,
                FirstName = "Ada",
                LastName = company,
                Company = company,
                ActionCode = "PLT",
                OfferId = "contoso.crm-addon",
                IsTest = isTest,
                BodyHash = Guid.NewGuid().ToByteArray(),
                Payload = new LeadPayload { Body = "{}" },
            });
            return await db.SaveChangesAsync();
        });
}

[PostgresStore]
public sealed class ScheduledMailPostgresTests() : ScheduledMailTests(StoreProvider.Postgres);
