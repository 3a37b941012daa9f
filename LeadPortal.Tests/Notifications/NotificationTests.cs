using LeadPortal.Accounts;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Notifications;
using LeadPortal.Outbox;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Notifications;

/// <summary>On SQLite; <see cref="NotificationPostgresTests"/> runs the same on PostgreSQL.</summary>
public class NotificationTests : StoreAppTests
{
    public NotificationTests() : base(StoreProvider.Sqlite)
    {
    }

    protected NotificationTests(StoreProvider provider) : base(provider)
    {
    }

    private static readonly NotificationSettings EveryLead = NotificationSettings.Default with { NewLeads = NewLeadMail.All };

    [StoreFact]
    public async Task A_chosen_mail_carries_a_one_click_unsubscribe_that_turns_those_mails_off_without_signing_in()
    {
        await using var app = await NotificationApp.StartAsync(Provider);
        await app.AddUserAsync("sales@leadportal.test", Roles.Sales, EveryLead);
        var client = app.App.CreateClient();
        await client.PostLeadAsync(SampleLeads.Tagged("appsource-contact-me"));
        await app.SettleAsync();

        var mail = Assert.Single(await app.Smtp.WaitForAsync("sales@leadportal.test"));
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        var link = new Uri(mail.Headers["List-Unsubscribe"]!.Trim('<', '>'));
        Assert.Equal(Unsubscribe.Path, link.AbsolutePath);

        // A forged or altered link does nothing.
        var forged = await client.PostAsync(link.PathAndQuery.Replace("&t=", "&t=x", StringComparison.Ordinal), new StringContent("List-Unsubscribe=One-Click"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(NewLeadMail.All, (await app.App.Services.GetRequiredService<NotificationPreferencesStore>().GetAsync(await UserIdAsync(app, "sales@leadportal.test"))).NewLeads);

        // What a mail provider's Unsubscribe button sends (RFC 8058): a POST, no cookie, no antiforgery token.
        var posted = await client.PostAsync(link.PathAndQuery, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(System.Net.HttpStatusCode.OK, posted.StatusCode);
        var settings = await app.App.Services.GetRequiredService<NotificationPreferencesStore>().GetAsync(await UserIdAsync(app, "sales@leadportal.test"));
        Assert.Equal((NewLeadMail.Off, false, false), (settings.NewLeads, settings.WhenAssigned, settings.DailyDigest));
        await client.PostLeadAsync(SampleLeads.Tagged("appsource-contact-me"));
        await app.SettleAsync();
        Assert.Single(app.Smtp.To("sales@leadportal.test"));
    }

    private static Task<string> UserIdAsync(NotificationApp app, string email) =>
        app.App.QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    [StoreFact]
    public async Task A_contact_me_lead_reaches_the_subscribed_users_mailbox_once()
    {
        await using var app = await NotificationApp.StartAsync(Provider);
        await app.AddUserAsync("sales@leadportal.test", Roles.Sales, EveryLead);
        await app.AddUserAsync("quiet@leadportal.test", Roles.Sales, NotificationSettings.Default with { NewLeads = NewLeadMail.Off });
        var client = app.App.CreateClient();

        var body = SampleLeads.Tagged("appsource-contact-me");
        var receipt = await (await client.PostLeadAsync(body)).ReadReceiptAsync();
        // Partner Center sending it again is a redelivery, not a second lead: no second mail.
        Assert.True((await (await client.PostLeadAsync(body)).ReadReceiptAsync()).Duplicate);
        await app.SettleAsync();

        // The first admin has the defaults: "Contact me" leads.
        var toAdmin = Assert.Single(await app.Smtp.WaitForAsync(LeadPortalFactory.AdminEmail));
        Assert.StartsWith("Contact me: Tomás Ó Briain (Northwind Traders)", toAdmin.Subject);
        Assert.Contains($"/leads/{receipt.Id}", toAdmin.TextBody);
        Assert.Contains("tomas@northwind.example", toAdmin.TextBody);
        Assert.Contains($"/leads/{receipt.Id}", toAdmin.HtmlBody);
        Assert.DoesNotContain(LeadPortalFactory.IntakeKey, toAdmin.ToString());
        Assert.Single(await app.Smtp.WaitForAsync("sales@leadportal.test"));
        Assert.Empty(app.Smtp.To("quiet@leadportal.test"));

        // Dispatching the same event again (a retried dispatch) queues nothing new.
        await using (var db = await app.App.CreateDbContextAsync())
        {
            db.OutboxEvents.Add(new OutboxEvent { Kind = OutboxEventKind.LeadArrived, LeadId = long.Parse(receipt.Id), CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        await app.SettleAsync();
        await Task.Delay(500);
        Assert.Single(app.Smtp.To(LeadPortalFactory.AdminEmail));
        Assert.Equal(2, (await app.OutboxAsync()).Count(m => m.Status == OutboxStatus.Done));
    }

    [StoreFact]
    public async Task Other_actions_reach_only_those_who_want_every_lead_and_their_offers()
    {
        await using var app = await NotificationApp.StartAsync(Provider);
        await app.AddUserAsync("all@leadportal.test", Roles.Sales, EveryLead);
        await app.AddUserAsync("crm-only@leadportal.test", Roles.Sales, EveryLead with { Offers = ["contoso.crm-addon"] });
        var client = app.App.CreateClient();

        Assert.Equal(System.Net.HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Tagged("marketplace-install"))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Tagged("appsource-contact-me"))).StatusCode);
        await app.SettleAsync();

        Assert.Equal(2, (await app.Smtp.WaitForAsync("all@leadportal.test", 2)).Count);
        var crm = Assert.Single(await app.Smtp.WaitForAsync("crm-only@leadportal.test"));
        Assert.Contains("Contoso CRM Add-on", crm.Subject);
        // The admin (defaults) hears only of the "Contact me" lead.
        Assert.Single(app.Smtp.To(LeadPortalFactory.AdminEmail));
    }

    [StoreFact]
    public async Task The_validation_lead_tells_admins_only_that_it_arrived()
    {
        await using var app = await NotificationApp.StartAsync(Provider);
        await app.AddUserAsync("all@leadportal.test", Roles.Sales, EveryLead);
        var client = app.App.CreateClient();

        Assert.Equal(System.Net.HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Read("microsoft-test-lead"))).StatusCode);
        await app.SettleAsync();

        var mail = Assert.Single(await app.Smtp.WaitForAsync(LeadPortalFactory.AdminEmail));
        Assert.Equal("LeadPortal: a validation lead arrived", mail.Subject);
        Assert.DoesNotContain("MSFT_TEST", mail.ToString());
        Assert.Empty(app.Smtp.To("all@leadportal.test"));
    }

    [StoreFact]
    public async Task A_new_owner_is_told_once_and_nobody_about_their_own_assignment()
    {
        await using var app = await NotificationApp.StartAsync(Provider);
        var adminId = await app.UserIdAsync(LeadPortalFactory.AdminEmail);
        var salesId = await app.AddUserAsync("sales@leadportal.test", Roles.Sales, NotificationSettings.Default with { NewLeads = NewLeadMail.Off });
        var client = app.App.CreateClient();
        var leadId = long.Parse((await (await client.PostLeadAsync(SampleLeads.Tagged("marketplace-install"))).ReadReceiptAsync()).Id);
        var workflow = app.App.Services.GetRequiredService<LeadWorkflow>();

        await workflow.AssignOwnerAsync(leadId, salesId, adminId);
        await workflow.AssignOwnerAsync(leadId, null, adminId);
        await workflow.AssignOwnerAsync(leadId, salesId, adminId);
        await workflow.AssignOwnerAsync(leadId, adminId, adminId);
        await app.SettleAsync();

        var mail = Assert.Single(await app.Smtp.WaitForAsync("sales@leadportal.test"));
        Assert.StartsWith("Assigned to you:", mail.Subject);
        Assert.Contains("assigned this lead to you", mail.TextBody);
        Assert.Contains($"/leads/{leadId}", mail.TextBody);
        await Task.Delay(300);
        Assert.Single(app.Smtp.To("sales@leadportal.test"));
        Assert.Empty(app.Smtp.To(LeadPortalFactory.AdminEmail));
    }

    [StoreFact]
    public async Task Without_an_SMTP_server_nothing_is_queued()
    {
        await using var app = NewApp();
        var client = app.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Tagged("appsource-contact-me"))).StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await app.QueryAsync(db => db.OutboxEvents.AnyAsync()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(await app.QueryAsync(db => db.OutboxEvents.AnyAsync()));
        Assert.Empty(await app.QueryAsync(db => db.MailOutbox.ToListAsync()));
    }

    [StoreFact]
    public async Task Mail_the_server_refused_is_retried_until_it_takes_it()
    {
        var port = TestSmtpServer.FreePort();
        var settings = new Dictionary<string, string?>(TestSmtpServer.SettingsFor(port));
        await using var app = NewApp(settings);
        var client = app.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Tagged("appsource-contact-me"))).StatusCode);

        // Nothing listens yet: the mail waits with the reason.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        OutgoingMail? waiting = null;
        while (DateTime.UtcNow < deadline && waiting is not { Attempts: >= 2 })
        {
            waiting = await app.QueryAsync(db => db.MailOutbox.SingleOrDefaultAsync());
            await Task.Delay(50);
        }

        Assert.NotNull(waiting);
        Assert.Equal(OutboxStatus.Pending, waiting.Status);
        Assert.Contains("Could not reach the SMTP server", waiting.LastError);
        Assert.NotNull(app.Services.GetRequiredService<MailSender>().Health.FailingSince);

        await using var smtp = await TestSmtpServer.StartAsync(port);
        Assert.Single(await smtp.WaitForAsync(LeadPortalFactory.AdminEmail));
        // The server has the message; the sender marks the row done right after its answer, in a commit of its own.
        deadline = DateTime.UtcNow.AddSeconds(10);
        var sent = await app.QueryAsync(db => db.MailOutbox.SingleAsync());
        while (DateTime.UtcNow < deadline && (sent.Status != OutboxStatus.Done || app.Services.GetRequiredService<MailSender>().Health.FailingSince is not null))
        {
            await Task.Delay(50);
            sent = await app.QueryAsync(db => db.MailOutbox.SingleAsync());
        }

        Assert.Equal(OutboxStatus.Done, sent.Status);
        Assert.Null(app.Services.GetRequiredService<MailSender>().Health.FailingSince);
    }

    [StoreFact]
    public async Task Mail_that_fails_past_the_retry_period_is_parked_and_can_be_sent_again()
    {
        var port = TestSmtpServer.FreePort();
        var settings = new Dictionary<string, string?>(TestSmtpServer.SettingsFor(port)) { ["Notifications:GiveUpAfter"] = "00:00:00.500" };
        await using var app = NewApp(settings);
        var client = app.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Tagged("appsource-contact-me"))).StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && !await app.QueryAsync(db => db.MailOutbox.AnyAsync(m => m.Status == OutboxStatus.Parked)))
        {
            await Task.Delay(50);
        }

        Assert.True(await app.QueryAsync(db => db.MailOutbox.AnyAsync(m => m.Status == OutboxStatus.Parked)));
        await using var smtp = await TestSmtpServer.StartAsync(port);
        await Task.Delay(700);
        Assert.Empty(smtp.Messages);

        Assert.Equal(1, await app.Services.GetRequiredService<MailLogQuery>().RetryParkedAsync(null));
        Assert.Single(await smtp.WaitForAsync(LeadPortalFactory.AdminEmail));
    }

    [StoreFact]
    public async Task An_unknown_time_zone_is_refused_with_a_readable_message()
    {
        await using var app = await NotificationApp.StartAsync(Provider);
        var id = await app.UserIdAsync(LeadPortalFactory.AdminEmail);
        var store = app.App.Services.GetRequiredService<NotificationPreferencesStore>();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync(id, NotificationSettings.Default with { TimeZone = "Mars/Olympus" }));
        Assert.Contains("Mars/Olympus", error.Message);
        Assert.Equal(NotificationSettings.Default, await store.GetAsync(id));

        await store.SaveAsync(id, NotificationSettings.Default with { DailyDigest = true, TimeZone = "Europe/Stockholm", Offers = ["a.b", "c.d"] });
        var saved = await store.GetAsync(id);
        Assert.True(saved.DailyDigest);
        Assert.Equal("Europe/Stockholm", saved.TimeZone);
        Assert.Equal(["a.b", "c.d"], saved.Offers);
    }
}

[PostgresStore]
public sealed class NotificationPostgresTests() : NotificationTests(StoreProvider.Postgres);
