using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Mapping;

namespace LeadPortal.Forwarding;

/// <summary>A validation lead like the one Partner Center sends (MSFT_TEST values), the same for every attempt of one delivery.</summary>
public static class TestLead
{
    public static string Marker(DateTime createdAt) => $"MSFT_TEST_{createdAt.Ticks}";

    public static string RawBody(DateTime createdAt)
    {
        var marker = Marker(createdAt);
        return ValidationLead.Body(marker, "LeadPortal test delivery", marker);
    }

    public static LeadRow Row(DateTime createdAt)
    {
        var marker = Marker(createdAt);
        return new LeadRow(
            0, createdAt, "AzureMarketplace", "INS", null, "LeadPortal test delivery", "AzureMarketplace", marker,
            marker, marker, $"{marker}@test.com", "1234567890", "US", marker, marker, IsTest: true, nameof(LeadStatus.New), OwnerName: null);
    }
}
