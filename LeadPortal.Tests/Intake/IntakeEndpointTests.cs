using System.Net;
using System.Text;
using System.Text.Json;
using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Intake;

/// <summary>The intake endpoint on SQLite; <see cref="IntakeEndpointPostgresTests"/> runs the same on PostgreSQL.</summary>
public class IntakeEndpointTests(LeadPortalFactory factory) : IClassFixture<LeadPortalFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private Task<int> LeadCountAsync() => factory.QueryAsync(db => db.Leads.CountAsync());

    public static TheoryData<string, string?, string?, string?, string?, bool> Samples() => new()
    {
        { "marketplace-install", "maja.lindqvist@fabrikam.example", "INS", "fabrikam.leadportal-demo", "SE", false },
        { "appsource-contact-me", "tomas@northwind.example", "PLT", "contoso.crm-addon", "IE", false },
        { "portal-create", "aiko.tanaka@tailspin.example", "Create", "contoso.vm-image", "JP", false },
        { "test-drive", "ben.okafor@adatum.example", "StartTestDrive", "contoso.analytics", "NG", false },
        { "do-not-contact", "priya.nair@woodgrove.example", "DNC", "contoso.crm-addon", "IN", false },
        { "microsoft-test-lead", "msft_test_638000000000000001@test.com", "INS", null, "US", true },
        { "pii-withheld", null, "INS", "contoso.crm-addon", "US", false },
    };

    [StoreTheory]
    [MemberData(nameof(Samples))]
    public async Task Every_sample_lead_is_stored_with_its_raw_body(string sample, string? email, string? action, string? offer, string? country, bool isTest)
    {
        var body = SampleLeads.Tagged(sample);

        var response = await _client.PostLeadAsync(body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var receipt = await response.ReadReceiptAsync();
        Assert.False(receipt.Duplicate);
        Assert.Equal($"/leads/{receipt.Id}", response.Headers.Location?.OriginalString);
        var lead = await factory.QueryAsync(db => db.Leads.Include(l => l.Payload).SingleAsync(l => l.Id == long.Parse(receipt.Id)));
        Assert.Equal(body, lead.Payload!.Body);
        Assert.Equal(email, lead.EmailNormalized);
        Assert.Equal(action, lead.ActionCode);
        Assert.Equal(offer, lead.OfferId);
        Assert.Equal(country, lead.Country);
        Assert.Equal(isTest, lead.IsTest);
        Assert.Equal(LeadStatus.New, lead.Status);
        Assert.Equal(await LeadFactoryKeys.BootstrapKeyIdAsync(factory), lead.IntakeKeyId);
        Assert.Equal(DateTimeKind.Utc, lead.ReceivedAt.Kind);
        Assert.True(DateTime.UtcNow - lead.ReceivedAt < TimeSpan.FromMinutes(1));
    }

    /// <summary>PostgreSQL's text refuses U+0000 (22021), and Partner Center does not send a lead twice.</summary>
    [StoreTheory]
    [InlineData("""{"UserDetails":{"FirstName":"Jo\u0000sé","LastName":"Null\u0000","Email":"nul.{tag}@contoso.example","Company":"\u0000"},"LeadSource":"AppSource-PLT|contoso.crm","Description":"a\u0000b"}""", "José", "Null", null, "ab")]
    [InlineData("""{"UserDetails":{"First\u0000Name":"Nul","LastName":"In a name","Email":"nul.{tag}@contoso.example"},"LeadSource":"AppSource-PLT|contoso.crm"}""", null, "In a name", null, null)]
    [InlineData("""{"UserDetails":{"FirstName":"Nul","LastName":"Unknown","Email":"nul.{tag}@contoso.example"},"Extra\u0000":"\u0000","Tracking":{"id":"\u0000\u0000"}}""", "Nul", "Unknown", null, null)]
    public async Task A_lead_with_U_0000_anywhere_is_stored_with_its_raw_body_exactly(string template, string? first, string last, string? company, string? description)
    {
        var body = template.Replace("{tag}", Guid.NewGuid().ToString("N"), StringComparison.Ordinal);

        var response = await _client.PostLeadAsync(body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = long.Parse((await response.ReadReceiptAsync()).Id);
        var lead = await factory.QueryAsync(db => db.Leads.Include(l => l.Payload).SingleAsync(l => l.Id == id));
        Assert.Equal(body, lead.Payload!.Body);
        Assert.Equal((first, last, company, description), (lead.FirstName, lead.LastName, lead.Company, lead.Description));
        Assert.DoesNotContain('\0', lead.Email!);
    }

    [StoreFact]
    public async Task A_body_with_a_raw_nul_is_refused_as_invalid_json_and_its_refusal_is_logged()
    {
        var afterId = await factory.LastDeliveryIdAsync();

        var response = await _client.PostLeadAsync("{\"UserDetails\":{\"FirstName\":\"A\0B\"}}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var entry = await factory.NextDeliveryAsync(afterId);
        Assert.Equal(DeliveryOutcome.Rejected, entry.Outcome);
        Assert.Contains("A\u2400B", entry.BodyStart);
    }

    [StoreFact]
    public async Task A_refusal_does_not_echo_a_long_body_back()
    {
        var response = await _client.PostLeadAsync("{\"a\": t" + new string('x', 4000) + "}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.ReadProblemAsync()).GetProperty("detail").GetString()!;
        Assert.StartsWith("The request body is not valid JSON", detail);
        Assert.True(detail.Length <= IntakeEndpoints.MaxDetailLength, $"{detail.Length} characters");
        Assert.EndsWith("…", detail);
    }

    [StoreFact]
    public async Task The_validation_lead_is_accepted_and_flagged_as_a_test()
    {
        var body = SampleLeads.Read("microsoft-test-lead").Replace("638000000000000001", Random.Shared.NextInt64().ToString(), StringComparison.Ordinal);

        var response = await _client.PostLeadAsync(body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = long.Parse((await response.ReadReceiptAsync()).Id);
        var lead = await factory.QueryAsync(db => db.Leads.SingleAsync(l => l.Id == id));
        Assert.True(lead.IsTest);
        Assert.Equal("AzureMarketplace", lead.Source);
        Assert.Equal("US", lead.Country);
    }

    [StoreFact]
    public async Task A_redelivery_answers_200_with_the_first_id_and_stores_nothing_new()
    {
        var body = SampleLeads.Unique();
        var first = await _client.PostLeadAsync(body);
        var before = await LeadCountAsync();

        var again = await _client.PostLeadAsync(body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var firstReceipt = await first.ReadReceiptAsync();
        var againReceipt = await again.ReadReceiptAsync();
        Assert.Equal(firstReceipt.Id, againReceipt.Id);
        Assert.True(againReceipt.Duplicate);
        Assert.Equal(before, await LeadCountAsync());
        var outcomes = await factory.QueryAsync(db => db.DeliveryLog.Where(d => d.LeadId == long.Parse(firstReceipt.Id))
            .OrderBy(d => d.Id).Select(d => d.Outcome).ToListAsync());
        Assert.Equal([DeliveryOutcome.Created, DeliveryOutcome.Duplicate], outcomes);
    }

    [StoreFact]
    public async Task The_same_body_sent_many_times_at_once_is_stored_once()
    {
        var body = SampleLeads.Unique();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _client.PostLeadAsync(body)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(r => r.ReadReceiptAsync()));
        Assert.Single(ids.Select(r => r.Id).Distinct());
    }

    [StoreFact]
    public async Task A_lead_with_an_escaped_lone_surrogate_is_stored_as_sent_with_the_replacement_character_in_its_fields()
    {
        var tag = Guid.NewGuid().ToString("N");
        var body = $$"""{"UserDetails":{"Company":"Contoso \ud83d","Email":"{{tag}}@example.com","Nick\udc00":"x"},"LeadSource":"AzureMarketplace-INS|a.b"}""";

        var response = await _client.PostLeadAsync(body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = long.Parse((await response.ReadReceiptAsync()).Id);
        var lead = await factory.QueryAsync(db => db.Leads.Include(l => l.Payload).SingleAsync(l => l.Id == id));
        Assert.Equal(body, lead.Payload!.Body);
        Assert.Equal("Contoso \uFFFD", lead.Company);
        Assert.Equal($"{tag}@example.com", lead.Email);
        Assert.True(await factory.QueryAsync(db => db.DeliveryLog.AnyAsync(d => d.LeadId == id && d.StatusCode == 201)));
    }

    [StoreFact]
    public async Task Any_content_type_is_accepted_for_a_json_object_body()
    {
        var response = await _client.PostLeadAsync(SampleLeads.Unique(), contentType: "text/plain");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { "", "empty" },
        { "not json at all", "not valid JSON" },
        { "{\"UserDetails\":{\"FirstName\":\"Maja\"", "not valid JSON" },
        { "[{\"ActionCode\":\"INS\"}]", "not an array" },
        { "\"a lead\"", "not a string" },
        { "{\"UserDetails\":\"Maja Lindqvist\"}", "UserDetails must be an object" },
        { "{\"UserDetails\":{\"Email\":[\"a@b.example\"]}}", "UserDetails.Email must be text, not an array" },
        { "{\"OfferTitle\":{\"en\":\"x\"}}", "OfferTitle must be text, not an object" },
    };

    [StoreTheory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_gets_a_problem_that_says_what_is_wrong_and_nothing_is_stored(string body, string expected)
    {
        var marked = body + " ";
        var before = await LeadCountAsync();
        var lastLogged = await factory.LastDeliveryIdAsync();

        var response = await _client.PostLeadAsync(marked);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Equal("Invalid lead", problem.GetProperty("title").GetString());
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
        Assert.Equal(before, await LeadCountAsync());
        var logged = await factory.NextDeliveryAsync(lastLogged);
        Assert.Equal(DeliveryOutcome.Rejected, logged.Outcome);
        Assert.Equal(400, logged.StatusCode);
        Assert.Contains(expected, logged.Reason);
        Assert.Equal(marked, logged.BodyStart);
        Assert.Null(logged.LeadId);
    }

    [StoreFact]
    public async Task A_body_that_is_not_utf8_is_refused()
    {
        var response = await _client.PostBytesAsync(Encoding.Latin1.GetBytes("{\"UserDetails\":{\"FirstName\":\"Tomás\"}}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", (await response.ReadProblemAsync()).GetProperty("detail").GetString());
    }

    [StoreFact]
    public async Task A_body_over_the_limit_gets_413_whether_its_length_is_declared_or_not()
    {
        var big = "{\"Description\":\"" + new string('x', 70 * 1024) + "\"}";
        var before = await LeadCountAsync();
        var lastLogged = await factory.LastDeliveryIdAsync();

        var declared = await _client.PostLeadAsync(big);
        var declaredLog = await factory.NextDeliveryAsync(lastLogged);
        var chunked = await _client.PostAsync(IntakeClient.Url(), new ChunkedContent(Encoding.UTF8.GetBytes(big)));
        var chunkedLog = await factory.NextDeliveryAsync(declaredLog.Id);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal("Lead too large", (await chunked.ReadProblemAsync()).GetProperty("title").GetString());
        Assert.Equal(before, await LeadCountAsync());
        foreach (var logged in new[] { declaredLog, chunkedLog })
        {
            Assert.Equal(413, logged.StatusCode);
            Assert.Equal(DeliveryOutcome.Rejected, logged.Outcome);
            Assert.Equal(IntakeEndpoints.BodyStartBytes, logged.BodyStart!.Length);
            Assert.StartsWith("{\"Description\":\"xxx", logged.BodyStart);
        }
    }

    [StoreTheory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("lpk_not-a-key")]
    [InlineData(LeadPortalFactory.IntakeKey + "x")]
    public async Task A_missing_or_unknown_key_gets_401_and_nothing_is_stored_not_even_the_body(string? key)
    {
        var before = await LeadCountAsync();
        var lastLogged = await factory.LastDeliveryIdAsync();

        var response = await _client.PostLeadAsync(SampleLeads.Unique(), key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.ReadProblemAsync();
        Assert.Equal("A valid intake key is required in the endpoint URL.", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await LeadCountAsync());
        var logged = await factory.NextDeliveryAsync(lastLogged);
        Assert.Equal(DeliveryOutcome.Unauthorized, logged.Outcome);
        Assert.Null(logged.IntakeKeyId);
        Assert.Null(logged.BodyStart);
        Assert.Equal(1, logged.Count);
    }

    [StoreFact]
    public async Task Two_keys_work_side_by_side_and_a_revoked_key_gets_401_like_an_unknown_one()
    {
        var keys = factory.Services.GetRequiredService<IntakeKeyStore>();
        var created = await keys.CreateAsync("Rotation");

        var withNew = await _client.PostLeadAsync(SampleLeads.Unique(), created.Secret);
        var withOld = await _client.PostLeadAsync(SampleLeads.Unique());
        await keys.RevokeAsync(created.Id);
        var revoked = await _client.PostLeadAsync(SampleLeads.Unique(), created.Secret);
        var unknown = await _client.PostLeadAsync(SampleLeads.Unique(), "lpk_unknown");

        Assert.Equal(HttpStatusCode.Created, withNew.StatusCode);
        Assert.Equal(HttpStatusCode.Created, withOld.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        var revokedProblem = (await revoked.ReadProblemAsync()).GetProperty("detail").GetString();
        var unknownProblem = (await unknown.ReadProblemAsync()).GetProperty("detail").GetString();
        Assert.Equal(unknownProblem, revokedProblem);
        var key = await factory.QueryAsync(db => db.IntakeKeys.SingleAsync(k => k.Id == created.Id));
        Assert.NotNull(key.LastUsedAt);
        Assert.NotNull(key.RevokedAt);
        Assert.Equal(created.Secret[..8], key.Prefix);
        Assert.DoesNotContain(created.Secret, Encoding.UTF8.GetString(key.Hash));
        var leadId = long.Parse((await withNew.ReadReceiptAsync()).Id);
        Assert.Equal(created.Id, await factory.QueryAsync(db => db.Leads.Where(l => l.Id == leadId).Select(l => l.IntakeKeyId).SingleAsync()));
    }

    [StoreFact]
    public async Task Hundreds_of_parallel_posts_give_exactly_that_many_leads()
    {
        const int posts = 400;
        var tag = Guid.NewGuid().ToString("N");
        var bodies = Enumerable.Range(0, posts)
            .Select(i => SampleLeads.Read(SampleLeads.Names[i % 5]).Replace("\"UserDetails\"", $"\"Run\":\"{tag}-{i}\",\"UserDetails\"", StringComparison.Ordinal))
            .ToList();

        var responses = await Task.WhenAll(bodies.Select(b => _client.PostLeadAsync(b)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = (await Task.WhenAll(responses.Select(r => r.ReadReceiptAsync()))).Select(r => long.Parse(r.Id)).ToHashSet();
        Assert.Equal(posts, ids.Count);
        var stored = await factory.QueryAsync(db => db.LeadPayloads.CountAsync(p => p.Body.Contains(tag)));
        Assert.Equal(posts, stored);
        Assert.Equal(posts, await factory.QueryAsync(db => db.DeliveryLog.CountAsync(d => d.LeadId != null && ids.Contains(d.LeadId.Value))));
    }

    [StoreFact]
    public async Task Health_answers_200_when_the_database_is_reachable()
    {
        var response = await _client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Healthy", await response.Content.ReadAsStringAsync());
    }

    [StoreFact]
    public async Task The_openapi_document_describes_the_endpoint_with_a_sample_and_every_response()
    {
        var json = JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json")).RootElement;

        var post = json.GetProperty("paths").GetProperty("/api/leads").GetProperty("post");
        Assert.Equal("ReceiveLead", post.GetProperty("operationId").GetString());
        var example = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("AzureMarketplace-INS|fabrikam.leadportal-demo", example.GetProperty("LeadSource").GetString());
        var responses = post.GetProperty("responses");
        foreach (var status in new[] { "200", "201", "400", "401", "413" })
        {
            Assert.False(string.IsNullOrEmpty(responses.GetProperty(status).GetProperty("description").GetString()), status);
        }

        Assert.Contains(post.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "key");
        var scheme = json.GetProperty("components").GetProperty("securitySchemes").GetProperty("intakeKey");
        Assert.Equal(("apiKey", "query", "key"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
        Assert.True(post.GetProperty("security")[0].TryGetProperty("intakeKey", out _));
    }
}

internal static class LeadFactoryKeys
{
    public static Task<int> BootstrapKeyIdAsync(LeadPortalFactory factory) =>
        factory.QueryAsync(db => db.IntakeKeys.Where(k => k.Name.StartsWith("Bootstrap")).Select(k => k.Id).SingleAsync());
}

/// <summary>A body sent without Content-Length, as chunked transfer encoding.</summary>
internal sealed class ChunkedContent(byte[] body) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

[PostgresStore]
public sealed class IntakeEndpointPostgresTests(PostgresLeadPortalFactory factory) : IntakeEndpointTests(factory), IClassFixture<PostgresLeadPortalFactory>;
