using System.Net;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Notifications;

[Collection(HeavyTests.Name)]
public sealed class NotificationCrashTests
{
    /// <summary>The real app in its own process, killed without warning right after the lead's 201, before any mail could go.</summary>
    [Fact(Timeout = 120_000)]
    public async Task A_lead_acknowledged_just_before_a_crash_is_still_mailed_afterwards_once()
    {
        var database = TempDatabase.NewPath();
        var port = TestSmtpServer.FreePort();
        var environment = TestSmtpServer.SettingsFor(port).ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value!);
        environment["Bootstrap__AdminEmail"] = LeadPortalFactory.AdminEmail;
        // If the first process got as far as trying the absent server, the mail waits out one retry delay (30 s by
        // default, as long as the wait below): short here, so the test is about the crash and not the backoff.
        environment["Notifications__RetryBaseDelay"] = "00:00:01";
        // The dispatch lease a killed process leaves behind runs out after this (30 s by default).
        environment["Jobs__LeaseDuration"] = "00:00:05";

        // No SMTP server yet: whatever the app got to before the kill (the event, or the queued mail), nothing was sent.
        var first = await AppProcess.StartAsync(database, environment);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(first.Address) };
            var response = await http.PostLeadAsync(SampleLeads.Tagged("appsource-contact-me"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        finally
        {
            await first.KillAsync();
            await first.DisposeAsync();
        }

        await using var smtp = await TestSmtpServer.StartAsync(port);
        await using var second = await AppProcess.StartAsync(database, environment);
        // Killed before it dispatched the lead's event, the first process still holds the dispatch lease (5 s here): the
        // second waits it out, then mails.
        var mail = Assert.Single(await smtp.WaitForAsync(LeadPortalFactory.AdminEmail, seconds: 60));
        Assert.StartsWith("Contact me:", mail.Subject);

        // Nothing more comes: one mail for one lead, however the work was split around the crash.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(smtp.To(LeadPortalFactory.AdminEmail));
        Assert.Single(await TempDatabase.LeadIdsAsync(database));
    }
}
