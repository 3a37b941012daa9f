using System.Text.Json;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Quality;
using LeadPortal.Shared;
using LeadPortal.Tests.Assignment;
using LeadPortal.Tests.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Quality;

/// <summary>
/// New leads rated by the outbox dispatcher after the real intake, with the admin's switches. On SQLite;
/// <see cref="QualityRatingPostgresTests"/> on PostgreSQL.
/// </summary>
public class QualityRatingTests : StoreAppTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 2, 9, 0, 0, TimeSpan.Zero);

    public QualityRatingTests() : base(StoreProvider.Sqlite)
    {
    }

    protected QualityRatingTests(StoreProvider provider) : base(provider)
    {
    }

    private static string Body(string email, string? company = "Fabrikam", string first = "Maja", string last = "Lindqvist") => JsonSerializer.Serialize(new
    {
        UserDetails = new { FirstName = first, LastName = last, Email = email, Phone = "+46 70 123 45 67", Country = "SE", Company = company },
        LeadSource = "AzureMarketplace-INS|fabrikam.leadportal-demo",
        Description = Guid.NewGuid().ToString("N"),
    });

    private static async Task<Dictionary<long, (QualityRating Rating, QualityReason Reasons)>> RatedAsync(LeadPortalFactory app, IReadOnlyCollection<long> ids)
    {
        await app.OwnersAfterRoutingAsync(ids);
        return await app.QueryAsync(db => db.Leads.Where(l => ids.Contains(l.Id))
            .ToDictionaryAsync(l => l.Id, l => (l.Quality, l.QualityReasons)));
    }

    [StoreFact]
    public async Task A_new_lead_is_rated_after_its_receipt_with_the_reasons_that_made_it()
    {
        var time = new FixedTime(Start);
        await using var app = new LeadPortalFactory(Provider, TempDatabase.NewPath()) { Time = time };

        var good = await app.PostAsync(Body("maja.lindqvist@fabrikam.example"));
        var spam = await app.PostAsync(Body("x8@mailinator.com", company: null, first: "asdf", last: "asdf"));
        var free = await app.PostAsync(Body("maja.lindqvist@gmail.com", company: null));

        var rated = await RatedAsync(app, [good, spam, free]);
        Assert.Equal((QualityRating.High, QualityReason.None), rated[good]);
        Assert.Equal((QualityRating.Low, QualityReason.DisposableDomain | QualityReason.KeyboardName | QualityReason.CompanyMissing), rated[spam]);
        Assert.Equal((QualityRating.Medium, QualityReason.CompanyMissing | QualityReason.FreemailAddress), rated[free]);
    }

    [StoreFact]
    public async Task The_fifth_lead_from_one_address_within_an_hour_is_Low_and_an_hour_later_it_is_not()
    {
        var time = new FixedTime(Start);
        await using var app = new LeadPortalFactory(Provider, TempDatabase.NewPath()) { Time = time };
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await app.PostAsync(Body("Busy@Fabrikam.example")));
            time.Now = time.Now.AddMinutes(14);
        }

        // Two hours after the first: the hour before it holds none of the others.
        time.Now = Start.AddHours(2);
        ids.Add(await app.PostAsync(Body("busy@fabrikam.example")));

        var rated = await RatedAsync(app, ids);
        Assert.Equal([QualityRating.High, QualityRating.High, QualityRating.High, QualityRating.High, QualityRating.Low, QualityRating.High],
            ids.Select(id => rated[id].Rating));
        Assert.Equal(QualityReason.RepeatedAddress, rated[ids[4]].Reasons);
    }

    [StoreFact]
    public async Task A_rule_the_admin_switched_off_no_longer_rates_new_leads_and_the_switch_is_audited()
    {
        await using var app = new LeadPortalFactory(Provider, TempDatabase.NewPath()) { Time = new FixedTime(Start) };
        var settings = app.Services.GetRequiredService<QualitySettings>();

        Assert.True(await settings.SwitchAsync(app.Admin(), QualityReason.CompanyMissing, on: false));
        Assert.False(await settings.SwitchAsync(app.Admin(), QualityReason.CompanyMissing, on: false));
        var id = await app.PostAsync(Body("maja.lindqvist@fabrikam.example", company: null));

        Assert.Equal((QualityRating.High, QualityReason.None), (await RatedAsync(app, [id]))[id]);
        Assert.Equal(QualityReason.CompanyMissing, await settings.GetSwitchedOffAsync());
        var audit = await app.QueryAsync(db => db.AuditLog.SingleAsync(a => a.Action == AuditActions.QualityRuleSwitched));
        Assert.Equal(("Quality rule \"No company given\"", "Off"), (audit.Target, audit.Details));

        Assert.True(await settings.SwitchAsync(app.Admin(), QualityReason.CompanyMissing, on: true));
        var again = await app.PostAsync(Body("sofia@fabrikam.example", company: null));
        Assert.Equal((QualityRating.Medium, QualityReason.CompanyMissing), (await RatedAsync(app, [again]))[again]);
    }

    [StoreFact]
    public async Task Reprocessing_backfills_domain_campaign_and_rating_for_leads_stored_before_they_existed_with_the_rules_in_force()
    {
        var time = new FixedTime(Start);
        await using var app = new LeadPortalFactory(Provider, TempDatabase.NewPath()) { Time = time };
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await app.PostAsync(Body("busy@fabrikam.example", company: null)));
            time.Now = time.Now.AddMinutes(5);
        }

        var campaign = await app.PostAsync(JsonSerializer.Serialize(new
        {
            UserDetails = new { FirstName = "Sofia", LastName = "Berg", Email = "sofia@contoso.example", Company = "Contoso" },
            LeadSource = "AppSource-PLT|contoso.crm-addon",
            Description = "Campaigns: mktcmpid=spring&src=linkedin",
        }));
        await app.OwnersAfterRoutingAsync([.. ids, campaign]);
        // As an older release left them: none of the derived values.
        await app.QueryAsync(db => db.Leads.ExecuteUpdateAsync(s => s
            .SetProperty(l => l.Quality, QualityRating.Unrated).SetProperty(l => l.QualityReasons, QualityReason.None)
            .SetProperty(l => l.CompanyDomain, (string?)null).SetProperty(l => l.EmailDomainKind, EmailDomainKind.Unknown)
            .SetProperty(l => l.CampaignId, (string?)null).SetProperty(l => l.CampaignFields, (string?)null)));
        await app.Services.GetRequiredService<QualitySettings>().SwitchAsync(app.Admin(), QualityReason.CompanyMissing, on: false);

        var job = app.Services.GetRequiredService<LeadPortal.Admin.ReprocessJob>();
        Assert.Null(await job.StartAsync(app.Admin()));
        await job.Current!;

        var leads = await app.QueryAsync(db => db.Leads.AsNoTracking().ToDictionaryAsync(l => l.Id));
        Assert.Equal([QualityRating.High, QualityRating.High, QualityRating.High, QualityRating.High, QualityRating.Low], ids.Select(id => leads[id].Quality));
        Assert.Equal(QualityReason.RepeatedAddress, leads[ids[4]].QualityReasons);
        Assert.All(ids, id => Assert.Equal("fabrikam.example", leads[id].CompanyDomain));
        Assert.Equal(("spring", "linkedin", QualityRating.High), (leads[campaign].CampaignId, leads[campaign].CampaignSource, leads[campaign].Quality));
        Assert.Equal(6, (await job.GetProgressAsync()).Changed);
    }
}

[PostgresStore]
public sealed class QualityRatingPostgresTests() : QualityRatingTests(StoreProvider.Postgres);
