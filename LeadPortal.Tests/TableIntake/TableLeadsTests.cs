using Azure.Data.Tables;
using LeadPortal.Data;
using LeadPortal.TableIntake;

namespace LeadPortal.Tests.TableIntake;

/// <summary>An entity as intake takes it, and parsed again from what is stored (no table service involved).</summary>
public sealed class TableLeadsTests
{
    private static readonly TableSource Source = new() { Id = 7, Name = "Marketplace" };

    private static TableEntity Entity() => new("contoso.widget", "0f5c7c9e-1")
    {
        Timestamp = new DateTimeOffset(2026, 11, 2, 9, 30, 5, TimeSpan.Zero),
        ["ActionCode"] = "PLT",
        ["CreatedTime"] = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero),
        ["CustomerInfo"] = """{"FirstName":"Maja","LastName":"Lindqvist","Email":"Maja@Fabrikam.example","Phone":"+46 8 555 0101","Country":"Sweden","Company":"Fabrikam AB","Title":"CTO","Seats":25}""",
        ["Description"] = "Contact me about pricing",
        ["LeadSource"] = "AppSource-PLT|contoso.widget",
        ["OfferDisplayName"] = "Contoso Widget",
    };

    [Fact]
    public void An_entity_is_parsed_like_a_posted_lead_and_kept_as_the_entity_with_its_table_key()
    {
        var work = TableLeads.ToWork(Source, Entity());

        var lead = work.Lead!;
        Assert.Equal(("PLT", "contoso.widget", "Contoso Widget", "AppSource", "Contact me about pricing"),
            (lead.ActionCode, lead.OfferId, lead.OfferTitle, lead.Source, lead.Description));
        Assert.Equal(("Maja", "Lindqvist", "maja@fabrikam.example", "SE", "+4685550101"),
            (lead.FirstName, lead.LastName, lead.EmailNormalized, lead.Country, lead.PhoneE164));
        Assert.Equal(new DateTime(2026, 11, 2, 9, 30, 5, DateTimeKind.Utc), work.Delivery.ReceivedAt);
        Assert.Equal((LeadOrigin.Table, "Marketplace"), (work.Origin, work.OriginName));
        Assert.Equal(TableLeads.OriginKey(7, "contoso.widget", "0f5c7c9e-1"), work.OriginKey);
        Assert.Equal(64, work.OriginKey!.Length);
        Assert.NotEqual(TableLeads.OriginKey(8, "contoso.widget", "0f5c7c9e-1"), work.OriginKey);
        // A key that holds the separator cannot pass for another (partition "a\nb", row "c" is not partition "a", row "b\nc").
        Assert.NotEqual(TableLeads.OriginKey(7, "a", "b\nc"), TableLeads.OriginKey(7, "a\nb", "c"));

        Assert.StartsWith("""{"PartitionKey":"contoso.widget","RowKey":"0f5c7c9e-1","Timestamp":"2026-11-02T09:30:05.0000000Z",""", work.RawBody);
        Assert.Contains("\"CreatedTime\":\"2026-11-02T09:30:00.0000000Z\"", work.RawBody);
    }

    [Fact]
    public void A_stored_table_lead_parses_again_to_the_same_fields()
    {
        var work = TableLeads.ToWork(Source, Entity());

        Assert.True(TableLeads.TryParseStored(work.RawBody!, out var again));
        Assert.Equal(work.Lead, again);
        Assert.False(TableLeads.TryParseStored("[1]", out _));
    }

    [Fact]
    public void A_malformed_customer_info_leaves_the_contact_out_and_keeps_the_rest()
    {
        var entity = Entity();
        entity["CustomerInfo"] = "Maja, maja@fabrikam.example";
        entity.Remove("OfferDisplayName");

        var work = TableLeads.ToWork(Source, entity);

        Assert.Equal(("PLT", null, null, "contoso.widget"), (work.Lead!.ActionCode, work.Lead.Email, work.Lead.OfferTitle, work.Lead.OfferId));
        Assert.Contains("Maja, maja@fabrikam.example", work.RawBody);
    }
}
