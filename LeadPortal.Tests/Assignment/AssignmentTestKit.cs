using LeadPortal.Accounts;
using LeadPortal.Admin;
using LeadPortal.Assignment;
using LeadPortal.Data;
using LeadPortal.Tests.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Assignment;

public static class AssignmentTestKit
{
    /// <summary>The marketplace-install sample (unique) with this action, country, offer and source.</summary>
    public static string Lead(string action = "PLT", string country = "SE", string offer = "fabrikam.leadportal-demo", string source = "AzureMarketplace") =>
        SampleLeads.Unique()
            .Replace("AzureMarketplace-INS|fabrikam.leadportal-demo", $"{source}-{action}|{offer}", StringComparison.Ordinal)
            .Replace("\"ActionCode\": \"INS\"", $"\"ActionCode\": \"{action}\"", StringComparison.Ordinal)
            .Replace("\"Country\": \"SE\"", $"\"Country\": \"{country}\"", StringComparison.Ordinal);

    public static async Task<string> AddUserAsync(this LeadPortalFactory app, string email, string? name = null)
    {
        var created = await app.Services.GetRequiredService<UserAdmin>().CreateAsync(app.Admin(), email, name, Roles.Sales);
        Assert.True(created.Succeeded, created.Error);
        return await app.QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
    }

    public static async Task<int> AddRuleAsync(this LeadPortalFactory app, string name, AssignmentMode mode, IReadOnlyList<string> userIds, Action<RuleInput>? configure = null)
    {
        var input = new RuleInput { Name = name, Mode = mode, UserIds = userIds };
        configure?.Invoke(input);
        var (id, errors) = await app.Services.GetRequiredService<AssignmentRules>().SaveAsync(null, input, app.Admin());
        Assert.Empty(errors);
        return id!.Value;
    }

    /// <summary>Posts leads one by one (each its own intake commit and event) and returns their ids.</summary>
    public static async Task<List<long>> PostLeadsAsync(this LeadPortalFactory app, int count, Func<int, string>? body = null)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await app.PostAsync(body?.Invoke(i) ?? Lead()));
        }

        return ids;
    }

    /// <summary>Waits until the dispatcher has handled every event (routing included), then reads the leads' owners.</summary>
    public static async Task<Dictionary<long, string?>> OwnersAfterRoutingAsync(this LeadPortalFactory app, IReadOnlyCollection<long> ids)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await app.QueryAsync(db => db.OutboxEvents.AnyAsync()))
        {
            Assert.True(DateTime.UtcNow < deadline, "The outbox dispatcher did not handle its events within 30 s.");
            await Task.Delay(25);
        }

        return await app.QueryAsync(db => db.Leads.Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.OwnerId));
    }
}
