using System.Security.Claims;
using Azure.Data.Tables;
using LeadPortal.Admin;
using LeadPortal.Data;
using LeadPortal.TableIntake;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.TableIntake;

/// <summary>Reprocessing a lead read from a table, on SQLite; <see cref="TableLeadReprocessPostgresTests"/> on PostgreSQL.</summary>
public class TableLeadReprocessTests(LeadPortalFactory factory) : IClassFixture<LeadPortalFactory>
{
    [StoreFact]
    public async Task Reprocessing_reads_a_table_lead_from_its_stored_entity_and_keeps_its_contact()
    {
        factory.CreateClient();
        var entity = new TableEntity("p", Guid.NewGuid().ToString("N"))
        {
            Timestamp = DateTimeOffset.UtcNow,
            ["CustomerInfo"] = """{"FirstName":"Grace","LastName":"Hopper","Email":"grace@contoso.example","Country":"United States"}""",
            ["OfferDisplayName"] = "Contoso Widget",
            ["LeadSource"] = "AzureMarketplace-INS|contoso.widget",
        };
        var work = TableLeads.ToWork(new TableSource { Id = 1, Name = "Marketplace" }, entity);
        var lead = new Lead
        {
            ReceivedAt = work.Delivery.ReceivedAt, BodyHash = work.BodyHash!, Origin = LeadOrigin.Table, OriginName = "Marketplace", OriginKey = work.OriginKey,
            Payload = new LeadPayload { Body = work.RawBody! },
        };
        // As an older parser left it: the contact not split out yet.
        await factory.QueryAsync(async db =>
        {
            db.Leads.Add(lead);
            return await db.SaveChangesAsync();
        });

        var job = factory.Services.GetRequiredService<ReprocessJob>();
        Assert.Null(await job.StartAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin@leadportal.test")], "test"))));
        await job.Current!;

        var again = await factory.QueryAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == lead.Id));
        Assert.Equal(("Grace", "Hopper", "grace@contoso.example", "US", "Contoso Widget", "contoso.widget"),
            (again.FirstName, again.LastName, again.Email, again.Country, again.OfferTitle, again.OfferId));
        Assert.Equal((LeadOrigin.Table, "Marketplace"), (again.Origin, again.OriginName));
    }
}

[PostgresStore]
public sealed class TableLeadReprocessPostgresTests(PostgresLeadPortalFactory factory) : TableLeadReprocessTests(factory), IClassFixture<PostgresLeadPortalFactory>;
