namespace LeadPortal.Intake;

/// <summary>A lead shaped like Partner Center's validation lead (MSFT_TEST values), which intake flags as a test.</summary>
public static class ValidationLead
{
    public static string Body(string marker, string offerTitle, string description) => $$"""
        {
          "UserDetails": {
            "FirstName": "{{marker}}",
            "LastName": "{{marker}}",
            "Email": "{{marker}}@test.com",
            "Phone": "1234567890",
            "Country": "US",
            "Company": "{{marker}}",
            "Title": "{{marker}}"
          },
          "LeadSource": "AzureMarketplace",
          "ActionCode": "INS",
          "OfferTitle": "{{offerTitle}}",
          "Description": "{{description}}"
        }
        """;
}
