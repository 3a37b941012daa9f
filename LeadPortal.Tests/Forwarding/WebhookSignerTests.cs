using System.Text;
using LeadPortal.Data;
using LeadPortal.Forwarding;
using StandardWebhooks;

namespace LeadPortal.Tests.Forwarding;

public sealed class WebhookSignerTests
{
    // The Standard Webhooks specification's own example (also the reference libraries' test vector).
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Signs_the_specifications_example_to_its_published_signature()
    {
        Assert.Equal(SpecSignature, WebhookSigner.Sign(SpecSecret, SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody)));
    }

    [Fact]
    public void The_StandardWebhooks_package_produces_the_same_vector()
    {
        Assert.Equal(SpecSignature, new StandardWebhook(SpecSecret).Sign(SpecId, DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp), SpecBody));
    }

    [Fact]
    public void Agrees_with_the_StandardWebhooks_package_for_generated_secrets_and_non_ascii_bodies()
    {
        for (var i = 0; i < 20; i++)
        {
            var secret = WebhookSigner.GenerateSecret();
            var id = WebhookSigner.NewMessageId();
            var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + i * 7919);
            var body = $"{{\"name\":\"Šárka 株式会社 {i} 🎉\"}}";

            Assert.Equal(new StandardWebhook(secret).Sign(id, at, body), WebhookSigner.Sign(secret, id, at.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(body)));
        }
    }

    [Fact]
    public void Generated_secrets_are_whsec_and_32_random_bytes_and_message_ids_fit_their_column()
    {
        var secret = WebhookSigner.GenerateSecret();
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Null(WebhookSigner.SecretProblem(secret));
        Assert.NotEqual(secret, WebhookSigner.GenerateSecret());

        var id = WebhookSigner.NewMessageId();
        Assert.Matches("^msg_[0-9a-z]{26}$", id);
        Assert.True(id.Length <= 64);
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "must start with whsec_")]
    [InlineData("whsec_not base64!", "not valid base64")]
    [InlineData("whsec_c2hvcnQ=", "must be 24 to 64 bytes; this one is 5")]
    public void Unusable_secrets_are_refused_with_the_reason(string secret, string reason)
    {
        Assert.Contains(reason, WebhookSigner.SecretProblem(secret));
    }

    [Fact]
    public void Headers_carry_id_unix_seconds_and_the_signature_the_package_verifies()
    {
        var body = Encoding.UTF8.GetBytes(SpecBody);
        var at = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/hook");
        WebhookSigner.AddHeaders(request, SpecSecret, SpecId, at, body);

        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary();
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToArray();
        }

        Assert.Equal(SpecId, headers["webhook-id"].ToString());
        Assert.Equal(at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), headers["webhook-timestamp"].ToString());
        new StandardWebhook(SpecSecret).Verify(SpecBody, headers);
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(SpecSecret).Verify(SpecBody + " ", headers));
    }

    [Fact]
    public void A_destination_takes_leads_by_action_offer_test_and_do_not_contact()
    {
        var destination = new ForwardingDestination { Actions = "INS\nPLT", Offers = "contoso.crm-addon" };
        Lead Lead(string action, string offer, bool test = false) => new() { ActionCode = action, OfferId = offer, IsTest = test };

        Assert.True(DestinationRules.Takes(destination, Lead("ins", "CONTOSO.crm-addon")));
        Assert.False(DestinationRules.Takes(destination, Lead("Create", "contoso.crm-addon")));
        Assert.False(DestinationRules.Takes(destination, Lead("INS", "contoso.other")));
        Assert.False(DestinationRules.Takes(destination, Lead("INS", "contoso.crm-addon", test: true)));
        Assert.False(DestinationRules.Takes(new ForwardingDestination(), Lead("DNC", "x")));
        Assert.True(DestinationRules.Takes(new ForwardingDestination { IncludeDoNotContact = true, IncludeTest = true }, Lead("DNC", "x", test: true)));
        Assert.Equal("INS\nPLT", DestinationRules.NormalizeList(" INS , PLT\n\nins "));
        Assert.Null(DestinationRules.NormalizeList(" \n "));
    }
}
