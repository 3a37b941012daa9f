using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Notifications;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Notifications;

/// <summary>On SQLite; <see cref="TaskReminderPostgresTests"/> runs the same on PostgreSQL.</summary>
public class TaskReminderTests : StoreAppTests
{
    public TaskReminderTests() : base(StoreProvider.Sqlite)
    {
    }

    protected TaskReminderTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task The_owner_is_mailed_once_when_a_task_falls_due_in_their_zone_with_the_do_not_contact_banner()
    {
        var clock = new FixedTime(new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero));
        await using var smtp = await TestSmtpServer.StartAsync();
        await using var factory = NewApp(smtp.Settings);
        await using var app = factory.WithWebHostBuilder(web => web.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var preferences = app.Services.GetRequiredService<NotificationPreferencesStore>();
        var adminId = await QueryAsync(app, db => db.Users.Where(u => u.Email == LeadPortalFactory.AdminEmail).Select(u => u.Id).SingleAsync());
        await preferences.SaveAsync(adminId, NotificationSettings.Default with { NewLeads = NewLeadMail.Off, TimeZone = "Europe/Stockholm" });
        var quietId = await QueryAsync(app, async db =>
        {
            var user = new AppUser { UserName = "quiet@leadportal.test", Email = "quiet@leadportal.test", DisplayName = "Quiet" };
            db.Users.Add(user);
            await db.SaveChangesAsync();
            return user.Id;
        });
        await preferences.SaveAsync(quietId, NotificationSettings.Default with { NewLeads = NewLeadMail.Off, WhenAssigned = false } with { TaskReminders = false });
        var leadId = await QueryAsync(app, async db =>
        {
            var lead = new Lead
            {
                ReceivedAt = clock.Now.UtcDateTime.AddDays(-1), FirstName = "Ada", LastName = "Lovelace", Company = "Fabrikam",
                Email = "ada@fabrikam.example", Phone = "+46701234567", ActionCode = "DNC", OfferId = "contoso.crm-addon",
                BodyHash = Guid.NewGuid().ToByteArray(), Payload = new LeadPayload { Body = "{}" },
            };
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
            return lead.Id;
        });
        var tasks = app.Services.GetRequiredService<LeadTasks>();
        var stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
        var due = await tasks.AddAsync(leadId, "Call back about pricing", new DateTime(2026, 6, 15, 12, 0, 0), stockholm, adminId, adminId);
        var quiet = await tasks.AddAsync(leadId, "Quiet one", new DateTime(2026, 6, 15, 11, 30, 0), stockholm, quietId, adminId);
        var done = await tasks.AddAsync(leadId, "Done already", new DateTime(2026, 6, 15, 11, 45, 0), stockholm, adminId, adminId);
        Assert.True(await tasks.CompleteAsync(done, adminId));
        var scheduler = app.Services.GetRequiredService<NotificationScheduler>();

        // 09:59 UTC is 11:59 in Stockholm: nothing of the admin's is due yet.
        clock.Now = new DateTimeOffset(2026, 6, 15, 9, 59, 0, TimeSpan.Zero);
        Assert.Equal(0, await scheduler.RunAsync());
        clock.Now = new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(1, await scheduler.RunAsync());
        Assert.Equal(0, await scheduler.RunAsync());

        var mail = Assert.Single(await smtp.WaitForAsync(LeadPortalFactory.AdminEmail));
        Assert.Equal("Task due: Call back about pricing – Ada Lovelace (Fabrikam)", mail.Subject);
        Assert.StartsWith(MailComposer.DoNotContactBanner, mail.TextBody);
        Assert.Contains("Due: Mon 15 Jun 2026 12:00 (Europe/Stockholm)", mail.TextBody);
        Assert.Contains("dnc-banner", mail.HtmlBody);
        foreach (var body in new[] { mail.TextBody, mail.HtmlBody })
        {
            Assert.DoesNotContain("ada@fabrikam.example", body);
            Assert.DoesNotContain("mailto:", body);
            Assert.DoesNotContain("tel:", body);
        }

        var reminded = await QueryAsync(app, db => db.LeadTasks.OrderBy(t => t.Id).Select(t => new { t.Id, t.RemindedAt }).ToListAsync());
        Assert.Equal([(due, true), (quiet, true), (done, false)], reminded.Select(t => (t.Id, t.RemindedAt is not null)));
        Assert.Equal([MailKind.TaskDue], await QueryAsync(app, db => db.MailOutbox.Where(m => m.Kind == MailKind.TaskDue).Select(m => m.Kind).ToListAsync()));
    }

    private static async Task<T> QueryAsync<T>(WebApplicationFactory<Program> app, Func<LeadPortalDbContext, Task<T>> query)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<LeadPortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }
}

[PostgresStore]
public sealed class TaskReminderPostgresTests() : TaskReminderTests(StoreProvider.Postgres);
