using System.Runtime.CompilerServices;
using LeadPortal.Mapping;

namespace LeadPortal.Tests.Mapping;

/// <summary>The seven sample deliveries of LeadPortal.Tests/Samples as export rows, built by hand.</summary>
internal static class SampleLeadRows
{
    public const string MsftTest = "MSFT_TEST_638000000000000001";

    public static readonly DateTime Received = new(2026, 11, 23, 8, 15, 0, DateTimeKind.Utc);

    public static LeadRow MarketplaceInstall { get; } = new(
        1, Received, "AzureMarketplace", "INS", "fabrikam.leadportal-demo", "LeadPortal Demo Offer",
        "AzureMarketplace-INS|fabrikam.leadportal-demo", "Customer selected Get It Now",
        "Maja", "Lindqvist", "maja.lindqvist@fabrikam.example", "+46 8 555 0101", "SE", "Fabrikam AB", "Head of IT",
        false, "New", null);

    public static LeadRow AppSourceContactMe { get; } = new(
        2, Received, "AppSource", "PLT", "contoso.crm-addon", "Contoso CRM Add-on",
        "AppSource-PLT|contoso.crm-addon", "Contact me",
        "Tomás", "Ó Briain", "tomas@northwind.example", "353 1 555 0199", "IE", "Northwind Traders", "CFO",
        false, "New", null);

    public static LeadRow PortalCreate { get; } = new(
        3, Received, "AzurePortal", "Create", "contoso.vm-image", "Contoso VM Image",
        "AzurePortal-Create|contoso.vm-image", null,
        "Aiko", "Tanaka", "aiko.tanaka@tailspin.example", "", "JP", "Tailspin Toys", "Cloud Architect",
        false, "New", null);

    public static LeadRow TestDrive { get; } = new(
        4, Received, "AzureMarketplace", "StartTestDrive", "contoso.analytics", "Contoso Analytics",
        "AzureMarketplace-StartTestDrive|contoso.analytics", "Started a test drive",
        "Ben", "Okafor", "ben.okafor@adatum.example", "4155550123", "NG", "Adatum", "Developer",
        false, "New", null);

    public static LeadRow DoNotContact { get; } = new(
        5, Received, "AppSource", "DNC", "contoso.crm-addon", "Contoso CRM Add-on",
        "AppSource-DNC|contoso.crm-addon", null,
        "Priya", "Nair", "priya.nair@woodgrove.example", "", "IN", "Woodgrove Bank", "",
        false, "New", null);

    public static LeadRow MicrosoftTestLead { get; } = new(
        6, Received, "AzureMarketplace", "INS", null, "Contoso Test",
        "AzureMarketplace", MsftTest,
        MsftTest, MsftTest, MsftTest + "@test.com", "1234567890", "US", MsftTest, MsftTest,
        true, "New", null);

    public static LeadRow PiiWithheld { get; } = new(
        7, Received, "AppSource", "INS", "contoso.crm-addon", "Contoso CRM Add-on",
        "AppSource-INS|contoso.crm-addon", null,
        "", "", "", "", "US", "", "",
        false, "New", null);

    /// <summary>Each sample by its file name in the Samples folder.</summary>
    public static IReadOnlyDictionary<string, LeadRow> ByFile { get; } = new Dictionary<string, LeadRow>
    {
        ["marketplace-install.json"] = MarketplaceInstall,
        ["appsource-contact-me.json"] = AppSourceContactMe,
        ["portal-create.json"] = PortalCreate,
        ["test-drive.json"] = TestDrive,
        ["do-not-contact.json"] = DoNotContact,
        ["microsoft-test-lead.json"] = MicrosoftTestLead,
        ["pii-withheld.json"] = PiiWithheld,
    };

    public static string SamplesFolder([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "Samples"));

    public static LeadRow Blank(long id = 100) => new(
        id, Received, null, null, null, null, null, null, null, null, null, null, null, null, null, false, "New", null);

    /// <summary>Formula payloads a stranger can type into a lead form, each hidden behind what a spreadsheet skips.</summary>
    public static readonly string[] FormulaPayloads =
    [
        "\u0000=HYPERLINK(\"http://x\",\"y\")",
        "\u0000\u0000=HYPERLINK(\"http://x\",\"y\")",
        " =HYPERLINK(\"http://x\",\"y\")",
        "\u0000 \u0001=HYPERLINK(\"http://x\",\"y\")",
        "\u0085@HYPERLINK(\"http://x\",\"y\")",
    ];

    /// <summary>A lead to export (not a test or do-not-contact lead) with every text field set to <paramref name="value"/>.</summary>
    public static LeadRow WithEveryTextField(string value, long id = 200) => new(
        id, Received, value, "INS", value, value, value, value, value, value, value, value, value, value, value, false, "New", value);

    public static async IAsyncEnumerable<LeadRow> ToAsync(
        IEnumerable<LeadRow> rows, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return row;
        }
    }
}
