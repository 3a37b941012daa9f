using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LeadPortal.Tests.Infrastructure;

public sealed record Receipt(string Id, bool Duplicate);

public static class IntakeClient
{
    public static string Url(string? key = LeadPortalFactory.IntakeKey) =>
        key is null ? "/api/leads" : $"/api/leads?key={Uri.EscapeDataString(key)}";

    public static Task<HttpResponseMessage> PostLeadAsync(this HttpClient client, string body, string? key = LeadPortalFactory.IntakeKey, string contentType = "application/json") =>
        client.PostAsync(Url(key), new StringContent(body, Encoding.UTF8, contentType));

    public static Task<HttpResponseMessage> PostBytesAsync(this HttpClient client, byte[] body, string? key = LeadPortalFactory.IntakeKey)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return client.PostAsync(Url(key), content);
    }

    public static async Task<Receipt> ReadReceiptAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<Receipt>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;

    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
