using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LeadPortal.Intake;

/// <summary>The documented shape of a lead; the endpoint itself reads the body leniently, not through this type.</summary>
public sealed class LeadPayloadDocument
{
    [JsonPropertyName("UserDetails")] public LeadUserDetailsDocument? UserDetails { get; init; }
    [JsonPropertyName("LeadSource")] public string? LeadSource { get; init; }
    [JsonPropertyName("ActionCode")] public string? ActionCode { get; init; }
    [JsonPropertyName("OfferTitle")] public string? OfferTitle { get; init; }
    [JsonPropertyName("Description")] public string? Description { get; init; }
}

public sealed class LeadUserDetailsDocument
{
    [JsonPropertyName("FirstName")] public string? FirstName { get; init; }
    [JsonPropertyName("LastName")] public string? LastName { get; init; }
    [JsonPropertyName("Email")] public string? Email { get; init; }
    [JsonPropertyName("Phone")] public string? Phone { get; init; }
    [JsonPropertyName("Country")] public string? Country { get; init; }
    [JsonPropertyName("Company")] public string? Company { get; init; }
    [JsonPropertyName("Title")] public string? Title { get; init; }
}

internal static class IntakeOpenApi
{
    public const string KeyScheme = "intakeKey";

    public const string SampleLead = """
        {
          "UserDetails": {
            "FirstName": "Maja",
            "LastName": "Lindqvist",
            "Email": "maja.lindqvist@fabrikam.example",
            "Phone": "+46 8 555 0101",
            "Country": "SE",
            "Company": "Fabrikam AB",
            "Title": "Head of IT"
          },
          "LeadSource": "AzureMarketplace-INS|fabrikam.leadportal-demo",
          "ActionCode": "INS",
          "OfferTitle": "LeadPortal Demo Offer",
          "Description": "Customer selected Get It Now"
        }
        """;

    private static readonly (string Status, string Description)[] Responses =
    [
        ("201", "The lead is stored (committed to disk). The body names its id."),
        ("200", "The same body was already stored within the duplicate window; the body names the first lead's id and no second lead is stored."),
        ("400", "The body is empty, not UTF-8, not JSON, not a JSON object, or a field holds an object or array where text is expected. Nothing is stored."),
        ("401", "The key in the URL is missing, unknown or revoked. Nothing is stored."),
        ("413", "The body is larger than Intake:MaxBodyBytes. Nothing is stored."),
    ];

    public static async Task DescribeReceiveLead(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        // Described here rather than with Accepts<T>(), which would make routing refuse other Content-Types.
        var schema = await context.GetOrCreateSchemaAsync(typeof(LeadPayloadDocument), cancellationToken: cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "One lead as Partner Center sends it. Any Content-Type is accepted.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = schema, Example = JsonNode.Parse(SampleLead) },
            },
        };

        operation.Parameters ??= [];
        if (operation.Parameters.FirstOrDefault(p => p.Name == IntakeEndpoints.KeyParameter) is OpenApiParameter key)
        {
            key.Description = "The intake key (the secret part of the endpoint URL).";
            key.Required = true;
        }

        // The key is a credential, so clients and scanners should see it as one: an apiKey scheme in the query.
        if (context.Document is { } document)
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[KeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Query,
                Name = IntakeEndpoints.KeyParameter,
                Description = "The intake key, the secret part of the endpoint URL that Partner Center posts to (Admin › Endpoint & keys).",
            };
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(KeyScheme, document)] = [] }];
        }

        operation.Responses ??= [];
        foreach (var (status, description) in Responses)
        {
            if (operation.Responses.TryGetValue(status, out var response) && response is OpenApiResponse known)
            {
                known.Description = description;
            }
            else
            {
                operation.Responses[status] = new OpenApiResponse { Description = description };
            }
        }
    }
}
