using LeadPortal.Accounts;
using LeadPortal.Data;
using LeadPortal.Tests.Forwarding;
using LeadPortal.Tests.Infrastructure;
using LeadPortal.Tests.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Assignment;

/// <summary>Mail from automatic assignment, to a real SMTP server on loopback. On SQLite; <see cref="AssignmentMailPostgresTests"/> on PostgreSQL.</summary>
public class AssignmentMailTests : StoreAppTests
{
    public AssignmentMailTests() : base(StoreProvider.Sqlite)
    {
    }

    protected AssignmentMailTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task The_new_owner_gets_the_assigned_to_you_mail_naming_the_rule()
    {
        await using var app = await NotificationApp.StartAsync(Provider);
        var anna = await app.AddUserAsync("anna@leadportal.test", Roles.Sales);
        await app.App.AddRuleAsync("Nordics Contact me", AssignmentMode.Single, [anna], r => r.Countries = "SE");

        var id = await app.App.PostAsync(AssignmentTestKit.Lead(action: "PLT", country: "SE"));
        await app.SettleAsync();

        var mails = await app.Smtp.WaitForAsync("anna@leadportal.test", count: 2);
        var assigned = Assert.Single(mails, m => m.Subject is { } subject && subject.StartsWith("Assigned to you: Maja Lindqvist", StringComparison.Ordinal));
        Assert.Contains("The assignment rule \"Nordics Contact me\" assigned this lead to you.", assigned.TextBody);
        Assert.Contains($"/leads/{id}", assigned.TextBody);
        Assert.Equal(1, await app.App.QueryAsync(db => db.MailOutbox.CountAsync(m => m.Kind == MailKind.Assigned && m.LeadId == id)));
    }

    [StoreFact]
    public async Task A_rule_that_cannot_work_alerts_the_admins_once_not_once_per_lead()
    {
        await using var app = await NotificationApp.StartAsync(Provider);
        var gone = await app.AddUserAsync("gone@leadportal.test", Roles.Sales);
        await app.App.AddRuleAsync("Gone's leads", AssignmentMode.Single, [gone]);
        Assert.True((await app.App.Services.GetRequiredService<LeadPortal.Admin.UserAdmin>().DeleteAsync(app.App.Admin(), gone)).Succeeded);

        // One at a time, each dispatched in a batch of its own: the once is across batches, not only within one.
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await app.App.PostAsync(AssignmentTestKit.Lead(action: "INS")));
            await app.SettleAsync();
        }

        Assert.Equal([null, null, null], (await app.App.OwnersAfterRoutingAsync(ids)).Values);
        var alert = Assert.Single(await app.Smtp.WaitForAsync(LeadPortalFactory.AdminEmail));
        Assert.Equal("LeadPortal alert: assignment rule \"Gone's leads\" needs attention", alert.Subject);
        Assert.Contains("gone@leadportal.test is not a user (deleted, or never added)", alert.TextBody);
        Assert.Contains("/admin/assignment", alert.TextBody);
    }
}

[PostgresStore]
public sealed class AssignmentMailPostgresTests() : AssignmentMailTests(StoreProvider.Postgres);
