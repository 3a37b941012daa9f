using System.Security.Claims;
using LeadPortal.Data;
using LeadPortal.Notifications;
using LeadPortal.Responses;
using LeadPortal.Shared;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Notifications;

/// <summary>The response clocks' reminder, escalation and digest mails, on SQLite; <see cref="ResponseReminderPostgresTests"/> runs the same on PostgreSQL.</summary>
public class ResponseReminderTests : StoreAppTests
{
    private const string OwnerEmail = "owner@leadportal.test";
    private const string ManagerEmail = "manager@leadportal.test";

    public ResponseReminderTests() : base(StoreProvider.Sqlite)
    {
    }

    protected ResponseReminderTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task The_owner_is_reminded_before_a_lead_is_due_and_the_owner_admins_and_escalation_list_are_told_once_when_it_is_overdue()
    {
        var clock = new FixedTime(new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero));
        await using var smtp = await TestSmtpServer.StartAsync();
        await using var factory = NewApp(smtp.Settings);
        await using var app = factory.WithWebHostBuilder(web => web.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var preferences = app.Services.GetRequiredService<NotificationPreferencesStore>();
        var adminId = await QueryAsync(app, db => db.Users.Where(u => u.Email == LeadPortalFactory.AdminEmail).Select(u => u.Id).SingleAsync());
        await preferences.SaveAsync(adminId, NotificationSettings.Default with { NewLeads = NewLeadMail.Off });
        var ownerId = await AddUserAsync(app, OwnerEmail, "Olle Owner");
        await preferences.SaveAsync(ownerId, NotificationSettings.Default with { NewLeads = NewLeadMail.Off, TimeZone = "Europe/Stockholm" });
        var managerId = await AddUserAsync(app, ManagerEmail, "Mia Manager");
        var times = app.Services.GetRequiredService<ResponseTimes>();
        var actor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, adminId), new Claim(ClaimTypes.Name, "admin")], "test"));

        // Out of range, or naming nobody: a readable reason each, and nothing saved.
        var settings = (await times.GetAsync()).Settings;
        settings.RemindOwnerHours = 73;
        var (problems, _) = await times.SaveAsync(actor, settings);
        Assert.Equal(["Reminder: the owner is reminded 0 to 72 hours before the response is due (0: no reminder); 73 is out of range."], problems);
        settings.RemindOwnerHours = 2;
        settings.EscalateTo = ["nobody@leadportal.test"];
        (problems, _) = await times.SaveAsync(actor, settings);
        Assert.Equal(["Escalation: \"nobody@leadportal.test\" is not a user of LeadPortal."], problems);
        Assert.False((await times.GetAsync()).Saved);
        settings.EscalateTo = [managerId];
        (problems, _) = await times.SaveAsync(actor, settings);
        Assert.Empty(problems);

        var at = clock.Now.UtcDateTime;
        var owned = await AddLeadAsync(app, "Ada", LeadActions.ContactMe, ownerId, due: at.AddHours(3));
        var unassigned = await AddLeadAsync(app, "Bea", LeadActions.GetItNow, null, due: at.AddHours(2.5));
        await AddLeadAsync(app, "Answered", LeadActions.ContactMe, ownerId, due: at.AddHours(2.75), answered: at.AddHours(-1));
        await AddLeadAsync(app, "Closed", LeadActions.GetItNow, ownerId, due: at.AddHours(2.9), status: LeadStatus.Disqualified);
        await AddLeadAsync(app, "DoNotContact", LeadActions.DoNotContact, ownerId, due: null);
        await AddLeadAsync(app, "Validation", LeadActions.ContactMe, null, due: null, isTest: true);
        var scheduler = app.Services.GetRequiredService<NotificationScheduler>();

        // 09:00: nothing is due within 2 h. 10:00: Ada (due 12:00) is, and only her owner hears; Bea has no owner to remind.
        Assert.Equal(0, await scheduler.RunAsync());
        clock.Now = clock.Now.AddHours(1);
        Assert.Equal(1, await scheduler.RunAsync());
        Assert.Equal(0, await scheduler.RunAsync());
        var reminder = Assert.Single(await smtp.WaitForAsync(OwnerEmail));
        Assert.Equal("Response due in 2 h: Ada Lovelace (Fabrikam)", reminder.Subject);
        Assert.Contains("Response due: Mon 15 Jun 2026 14:00 (Europe/Stockholm)", reminder.TextBody);
        Assert.Contains($"/leads/{owned}", reminder.TextBody);

        // 11:30: Bea is overdue, unassigned: the admin and the escalation list. 12:00: Ada, to her owner and the list.
        clock.Now = clock.Now.AddHours(1.5);
        Assert.Equal(2, await scheduler.RunAsync());
        clock.Now = clock.Now.AddMinutes(30);
        Assert.Equal(2, await scheduler.RunAsync());
        Assert.Equal(0, await scheduler.RunAsync());
        clock.Now = clock.Now.AddHours(5);
        Assert.Equal(0, await scheduler.RunAsync());

        var toAdmin = Assert.Single(await smtp.WaitForAsync(LeadPortalFactory.AdminEmail));
        Assert.Equal("Overdue: Bea Lovelace (Fabrikam)", toAdmin.Subject);
        Assert.Contains("Owner: Nobody (unassigned)", toAdmin.TextBody);
        Assert.Contains($"/leads/{unassigned}", toAdmin.TextBody);
        var toOwner = await smtp.WaitForAsync(OwnerEmail, 2);
        Assert.Equal(["Response due in 2 h: Ada Lovelace (Fabrikam)", "Overdue: Ada Lovelace (Fabrikam)"], toOwner.Select(m => m.Subject));
        Assert.Contains("Olle Owner owns it.", toOwner[1].TextBody);
        var toManager = await smtp.WaitForAsync(ManagerEmail, 2);
        Assert.Equal(["Overdue: Ada Lovelace (Fabrikam)", "Overdue: Bea Lovelace (Fabrikam)"], toManager.Select(m => m.Subject).Order());

        var kinds = await QueryAsync(app, db => db.MailOutbox.Where(m => m.LeadId != null).Select(m => new { m.Kind, m.LeadId, m.To }).ToListAsync());
        Assert.Equal(5, kinds.Count);
        Assert.All(kinds, k => Assert.True(k.LeadId == owned || k.LeadId == unassigned));
        Assert.Single(kinds, k => k.Kind == MailKind.ResponseDueSoon);
    }

    [StoreFact]
    public async Task The_daily_digest_lists_overdue_leads_and_leads_Partner_Center_expires_within_3_days_as_at_risk()
    {
        var clock = new FixedTime(new DateTimeOffset(2026, 6, 15, 8, 30, 0, TimeSpan.Zero));
        await using var smtp = await TestSmtpServer.StartAsync();
        // No lead arrived in days, on purpose: not the alert's business here.
        await using var factory = NewApp(new Dictionary<string, string?>(smtp.Settings) { ["Notifications:IntakeSilenceAlert"] = "00:00:00" });
        await using var app = factory.WithWebHostBuilder(web => web.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var adminId = await QueryAsync(app, db => db.Users.Where(u => u.Email == LeadPortalFactory.AdminEmail).Select(u => u.Id).SingleAsync());
        await app.Services.GetRequiredService<NotificationPreferencesStore>().SaveAsync(adminId, NotificationSettings.Default with
        {
            NewLeads = NewLeadMail.Off,
            DailyDigest = true,
            DigestTime = new TimeOnly(8, 0),
        });
        var at = clock.Now.UtcDateTime;
        // Nothing arrived on 14 June; Otto's trial was due yesterday, Erik's Contact me came 12 days ago (Partner Center
        // expires it in 2 days, and it is long overdue), Pia's was accepted in Partner Center, Anna's answered, Carl's closed.
        await AddLeadAsync(app, "Otto", LeadActions.GetItNow, null, due: at.AddDays(-1), received: at.AddDays(-4));
        await AddLeadAsync(app, "Erik", LeadActions.ContactMe, null, due: at.AddDays(-11), received: at.AddDays(-12));
        await AddLeadAsync(app, "Pia", LeadActions.ContactMe, null, due: null, received: at.AddDays(-12), accepted: at.AddDays(-11));
        await AddLeadAsync(app, "Anna", LeadActions.ContactMe, null, due: at.AddDays(-11), received: at.AddDays(-12), answered: at.AddDays(-11.5));
        await AddLeadAsync(app, "Carl", LeadActions.GetItNow, null, due: at.AddDays(-1), received: at.AddDays(-4), status: LeadStatus.Converted);
        await AddLeadAsync(app, "Later", LeadActions.ContactMe, null, due: null, received: at.AddDays(-10));

        var scheduler = app.Services.GetRequiredService<NotificationScheduler>();
        // The digest, and the first round's marks: nothing falls overdue in the round itself.
        Assert.Equal(1, await scheduler.RunAsync());
        var digest = Assert.Single(await smtp.WaitForAsync(LeadPortalFactory.AdminEmail));
        Assert.Equal("LeadPortal: no new leads on Sunday 14 June 2026, 2 overdue, 1 expiring", digest.Subject);
        var text = digest.TextBody ?? "";
        var risk = text[text.IndexOf("AT RISK", StringComparison.Ordinal)..];
        Assert.Contains("2 overdue", risk);
        Assert.True(risk.Contains("Otto Lovelace (Fabrikam) · Get it now / free trial · Contoso CRM add-on · was due Sun 14 Jun 2026 08:30 (UTC)", StringComparison.Ordinal), risk);
        Assert.Contains("1 expiring in Partner Center", risk);
        Assert.True(risk.Contains("Erik Lovelace (Fabrikam) · Contact me · Contoso CRM add-on · expires Wed 17 Jun 2026 08:30 (UTC)", StringComparison.Ordinal), risk);
        foreach (var safe in new[] { "Pia", "Anna", "Carl", "Later" })
        {
            Assert.DoesNotContain(safe, text);
        }

        Assert.Contains("id=\"at-risk\"", digest.HtmlBody);
    }

    private static async Task<string> AddUserAsync(WebApplicationFactory<Program> app, string email, string name) => await QueryAsync(app, async db =>
    {
        var user = new AppUser { UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), DisplayName = name };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    });

    private static Task<long> AddLeadAsync(
        WebApplicationFactory<Program> app, string firstName, string action, string? ownerId, DateTime? due, DateTime? received = null,
        DateTime? answered = null, LeadStatus status = LeadStatus.New, bool isTest = false, DateTime? accepted = null) => QueryAsync(app, async db =>
    {
        var lead = new Lead
        {
            ReceivedAt = received ?? due?.AddHours(-24) ?? new DateTime(2026, 6, 14, 9, 0, 0, DateTimeKind.Utc),
            FirstName = firstName, LastName = "Lovelace", Company = "Fabrikam", Email = $"{firstName.ToLowerInvariant()}@fabrikam.example",
            ActionCode = action, OfferId = "contoso.crm-addon", OfferTitle = "Contoso CRM add-on", OwnerId = ownerId, ResponseDueAt = due,
            FirstResponseAt = answered, Status = status, IsTest = isTest, PartnerCenterAcceptedAt = accepted,
            BodyHash = Guid.NewGuid().ToByteArray(), Payload = new LeadPayload { Body = "{}" },
        };
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        return lead.Id;
    });

    private static async Task<T> QueryAsync<T>(WebApplicationFactory<Program> app, Func<LeadPortalDbContext, Task<T>> query)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<LeadPortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }
}

[PostgresStore]
public sealed class ResponseReminderPostgresTests() : ResponseReminderTests(StoreProvider.Postgres);
