using System.Security.Claims;
using LeadPortal.Accounts;
using LeadPortal.Data;
using LeadPortal.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Forwarding;

/// <summary>Leads with an offer of their own (so only the test's destination takes them), the admin, and waiting.</summary>
public static class ForwardingTestKit
{
    /// <summary>Settings that make retries fast: 200 ms, doubling, at most 1 s apart.</summary>
    public static Dictionary<string, string?> FastRetries(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Forwarding:RetryBaseDelay"] = "00:00:00.200",
            ["Forwarding:MaxRetryDelay"] = "00:00:01",
            ["Forwarding:PollInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    public static string NewOffer() => $"fabrikam.fwd-{Guid.NewGuid():N}"[..28];

    /// <summary>The marketplace-install sample with this offer and action code (and a unique e-mail).</summary>
    public static string Lead(string offer, string action = "INS") => SampleLeads.Unique()
        .Replace("AzureMarketplace-INS|fabrikam.leadportal-demo", $"AzureMarketplace-{action}|{offer}", StringComparison.Ordinal)
        .Replace("\"ActionCode\": \"INS\"", $"\"ActionCode\": \"{action}\"", StringComparison.Ordinal);

    /// <summary>Partner Center's validation lead (MSFT_TEST values) for this offer.</summary>
    public static string TestLead(string offer) => SampleLeads.Tagged("microsoft-test-lead")
        .Replace("\"LeadSource\": \"AzureMarketplace\"", $"\"LeadSource\": \"AzureMarketplace-INS|{offer}\"", StringComparison.Ordinal);

    public static async Task<long> PostAsync(this LeadPortalFactory app, string body)
    {
        using var client = app.CreateClient();
        var response = await client.PostLeadAsync(body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return long.Parse((await response.ReadReceiptAsync()).Id, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static ClaimsPrincipal Admin(this LeadPortalFactory app)
    {
        var id = app.QueryAsync(db => db.Users.Where(u => u.Email == LeadPortalFactory.AdminEmail).Select(u => u.Id).SingleAsync()).GetAwaiter().GetResult();
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, LeadPortalFactory.AdminEmail), new Claim(ClaimTypes.Role, Roles.Admin)], "test"));
    }

    public static ForwardingStore Store(this LeadPortalFactory app) => app.Services.GetRequiredService<ForwardingStore>();

    /// <summary>Adds a destination through the store (as the dialog does) and returns its id and secret.</summary>
    public static async Task<(int Id, string Secret)> AddDestinationAsync(this LeadPortalFactory app, string url, Action<DestinationInput>? configure = null)
    {
        var input = new DestinationInput { Name = $"Hook {Guid.NewGuid():N}"[..20], Url = url };
        configure?.Invoke(input);
        var saved = await app.Store().SaveAsync(null, input, app.Admin());
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        return (saved.Id!.Value, saved.NewSecret ?? input.Secret!);
    }

    /// <summary>The lead's delivery to the destination, once the dispatcher has queued it.</summary>
    public static async Task<ForwardDelivery> DeliveryAsync(this LeadPortalFactory app, int destinationId, long leadId, Func<ForwardDelivery, bool>? until = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var delivery = await app.QueryAsync(db => db.ForwardDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.DestinationId == destinationId && d.LeadId == leadId));
            if (delivery is not null && (until is null || until(delivery)))
            {
                return delivery;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Delivery of lead {leadId} to destination {destinationId}: {(delivery is null ? "never queued" : $"{delivery.Status} after {delivery.Attempts} attempts ({delivery.LastError})")}.");
            await Task.Delay(25);
        }
    }

    /// <summary>Waits until the dispatcher has turned these leads' events into deliveries.</summary>
    public static async Task DispatchedAsync(this LeadPortalFactory app, params long[] leadIds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await app.QueryAsync(db => db.OutboxEvents.AnyAsync(e => leadIds.Contains(e.LeadId))))
        {
            Assert.True(DateTime.UtcNow < deadline, "The dispatcher did not take the leads' events within 15 s.");
            await Task.Delay(25);
        }
    }
}
