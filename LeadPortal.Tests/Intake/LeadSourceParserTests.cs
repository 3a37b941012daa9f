using LeadPortal.Intake;

namespace LeadPortal.Tests.Intake;

public sealed class LeadSourceParserTests
{
    [Theory]
    [InlineData("AzureMarketplace-INS|fabrikam.leadportal-demo", "AzureMarketplace", "INS", "fabrikam.leadportal-demo")]
    [InlineData("AppSource-PLT|contoso.crm-addon", "AppSource", "PLT", "contoso.crm-addon")]
    [InlineData("AzurePortal-Create|contoso.vm-image", "AzurePortal", "Create", "contoso.vm-image")]
    [InlineData("AzureMarketplace-StartTestDrive|contoso.analytics", "AzureMarketplace", "StartTestDrive", "contoso.analytics")]
    [InlineData("AzureMarketplace", "AzureMarketplace", null, null)]
    [InlineData("AppSource (SPZA)", "AppSource (SPZA)", null, null)]
    [InlineData("AppSource (SPZA)-INS|a.b", "AppSource (SPZA)", "INS", "a.b")]
    [InlineData("AzureMarketplace-|a.b", "AzureMarketplace", null, "a.b")]
    [InlineData("|a.b", null, null, "a.b")]
    [InlineData("-INS", null, "INS", null)]
    [InlineData("NewSource-Mystery|pub.offer-with-dash", "NewSource", "Mystery", "pub.offer-with-dash")]
    [InlineData("  AppSource-DNC | contoso.crm  ", "AppSource", "DNC", "contoso.crm")]
    [InlineData("", null, null, null)]
    [InlineData(null, null, null, null)]
    public void Splits_source_action_and_offer_keeping_unknown_values(string? raw, string? source, string? action, string? offer)
    {
        var parts = LeadSourceParser.Parse(raw);

        Assert.Equal(source, parts.Source);
        Assert.Equal(action, parts.Action);
        Assert.Equal(offer, parts.Offer);
    }
}
