using System.Text.Json;
using LeadPortal.Audit;
using LeadPortal.Campaigns;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Assignment;
using LeadPortal.Tests.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Campaigns;

/// <summary>Campaign parameters read from new leads by the dispatcher, on SQLite; <see cref="CampaignAttributionPostgresTests"/> on PostgreSQL.</summary>
public class CampaignAttributionTests : StoreAppTests
{
    public CampaignAttributionTests() : base(StoreProvider.Sqlite)
    {
    }

    protected CampaignAttributionTests(StoreProvider provider) : base(provider)
    {
    }

    private static string Body(string description) => JsonSerializer.Serialize(new
    {
        UserDetails = new { FirstName = "Maja", LastName = Guid.NewGuid().ToString("N")[..8], Email = "maja@fabrikam.example", Country = "SE", Company = "Fabrikam" },
        LeadSource = "AzureMarketplace-INS|fabrikam.leadportal-demo",
        Description = description,
    });

    [StoreFact]
    public async Task A_new_leads_campaign_is_read_from_its_description_kept_as_sent_and_filters_the_inbox()
    {
        await using var app = NewApp();
        var json = await app.PostAsync(Body("{\"mktcmpid\":\"spring-2026\",\"src\":\"linkedin\",\"utm_medium\":\"social\"}"));
        var query = await app.PostAsync(Body("Campaigns: mktcmpid=spring-2026&src=newsletter"));
        var none = await app.PostAsync(Body("Customer selected Get It Now"));
        await app.OwnersAfterRoutingAsync([json, query, none]);

        var leads = await app.QueryAsync(db => db.Leads.AsNoTracking().ToDictionaryAsync(l => l.Id));
        Assert.Equal(("spring-2026", "linkedin"), (leads[json].CampaignId, leads[json].CampaignSource));
        Assert.Equal("social", CampaignFields.FromJson(leads[json].CampaignFields).Get("utm_medium"));
        Assert.Equal("{\"mktcmpid\":\"spring-2026\",\"src\":\"linkedin\",\"utm_medium\":\"social\"}", leads[json].Description);
        Assert.Equal(("spring-2026", "newsletter"), (leads[query].CampaignId, leads[query].CampaignSource));
        Assert.Null(leads[none].CampaignFields);

        var page = await app.Services.GetRequiredService<LeadQuery>().GetPageAsync(new LeadFilter { Campaign = "spring-2026" }, LeadSort.Received, true, 0, 10, TimeZoneInfo.Utc);
        Assert.Equal([query, json], page.Rows.Select(r => r.Id));
    }

    [StoreFact]
    public async Task With_the_switch_off_new_descriptions_are_not_read_and_the_switch_is_audited()
    {
        await using var app = NewApp();
        var settings = app.Services.GetRequiredService<CampaignSettings>();
        Assert.True(await settings.IsOnAsync());

        Assert.True(await settings.SwitchAsync(app.Admin(), on: false));
        var id = await app.PostAsync(Body("mktcmpid=spring"));
        await app.OwnersAfterRoutingAsync([id]);

        Assert.Null(await app.QueryAsync(db => db.Leads.Where(l => l.Id == id).Select(l => l.CampaignId).SingleAsync()));
        Assert.False(await settings.IsOnAsync());
        Assert.Equal("Off", await app.QueryAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.CampaignParsingSwitched).Select(a => a.Details).SingleAsync()));
    }
}

[PostgresStore]
public sealed class CampaignAttributionPostgresTests() : CampaignAttributionTests(StoreProvider.Postgres);
