using System.Net;
using LeadPortal.Intake;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Intake;

public sealed class IntakeLoggingTests
{
    private const string KeyText = "test-intake-key";

    [Fact]
    public async Task The_key_never_reaches_a_log_even_with_request_logging_turned_up_in_configuration()
    {
        await using var factory = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        });
        var client = factory.CreateClient();

        await PostEveryKindAsync(client);

        Assert.Contains(factory.Logs.Lines, line => line.Contains("/api/leads", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(KeyText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_request_logging_on_an_inbox_search_for_a_person_stays_out_of_the_log()
    {
        await using var factory = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        });
        var client = factory.CreateCookieClient();
        await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/leads?q=sofia.searched%40contoso.example")).StatusCode);

        Assert.Contains(factory.Logs.Lines, line => line.Contains("/leads?q=[redacted]", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains("sofia.searched", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_provider_specific_log_level_cannot_bring_the_key_back_into_the_log()
    {
        // A provider's own rule wins over every general rule, so no category filter can keep these lines out.
        await using var factory = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?>
        {
            ["Logging:Captured:LogLevel:Default"] = "Information",
            ["Logging:Captured:LogLevel:Microsoft.AspNetCore"] = "Information",
        });
        var client = factory.CreateClient();

        await PostEveryKindAsync(client);

        var requestLines = factory.Logs.Lines.Where(line => line.Contains("Request starting", StringComparison.Ordinal)).ToList();
        Assert.True(requestLines.Count >= 8, string.Join('\n', factory.Logs.Lines));
        Assert.All(requestLines, line => Assert.Contains(KeyRedactingLoggerFactory.Redacted, line));
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains(KeyText, StringComparison.Ordinal));
    }

    [Fact(Timeout = 120_000)]
    public async Task The_console_of_the_real_process_never_shows_the_key_at_information_level()
    {
        await using var app = await AppProcess.StartAsync(TempDatabase.NewPath(), new Dictionary<string, string>
        {
            ["Logging__Console__LogLevel__Microsoft.AspNetCore"] = "Information",
        });
        using var client = new HttpClient { BaseAddress = new Uri(app.Address) };

        await PostEveryKindAsync(client);

        // The console logger writes from a queue of its own: wait for the last request's lines.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (app.Output.Count(line => line.Contains("Request finished", StringComparison.Ordinal)) < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var output = string.Join('\n', app.Output);
        Assert.Contains("Request starting", output);
        Assert.Contains(KeyRedactingLoggerFactory.Redacted, output);
        Assert.DoesNotContain(KeyText, output);
    }

    [Theory]
    [InlineData("POST http://x/api/leads?key=lpk_abc&x=1 - -", "POST http://x/api/leads?key=[redacted]&x=1 - -")]
    [InlineData("/api/leads?a=1&KEY=secret#frag", "/api/leads?a=1&KEY=[redacted]#frag")]
    [InlineData("returnUrl=%2Fapi%2Fleads%3Fkey%3Ds%2Bcret%26a%3D1", "returnUrl=%2Fapi%2Fleads%3Fkey%3D[redacted]%26a%3D1")]
    [InlineData("a key was made: lpk_AbCdEfGh1234_-xyz", "a key was made: lpk_[redacted]")]
    [InlineData("?monkey=banana&keys=1", "?monkey=banana&keys=1")]
    [InlineData("GET http://x/leads?q=maja.lindqvist%40fabrikam.example&sort=name - -", "GET http://x/leads?q=[redacted]&sort=name - -")]
    [InlineData("POST http://x/api/exports/csv?profile=3&Q=Jos%C3%A9+M%C3%BCller", "POST http://x/api/exports/csv?profile=3&Q=[redacted]")]
    [InlineData("/leads?faq=yes&sq=1", "/leads?faq=yes&sq=1")]
    [InlineData("POST http://x/api/leads?k%65y=lpk-secret - -", "POST http://x/api/leads?k%65y=[redacted] - -")]
    [InlineData("/api/leads?%6B%45%79=secret&a=1", "/api/leads?%6B%45%79=[redacted]&a=1")]
    [InlineData("/api/leads?key[]=secret", "/api/leads?key[]=[redacted]")]
    [InlineData("/api/leads?key%00=secret", "/api/leads?key%00=[redacted]")]
    [InlineData("/api/leads?x=1;key=secret", "/api/leads?x=1;key=[redacted]")]
    [InlineData("returnUrl=%2Fapi%2Fleads%3Fk%2565y%3Dsecret", "returnUrl=%2Fapi%2Fleads%3Fk%2565y%3D[redacted]")]
    [InlineData("<key id=\"1\"><descriptor><masterKey p4:requiresEncryption=\"true\"><value>c2VjcmV0</value></masterKey></descriptor></key>",
        "<key id=\"1\"><descriptor><masterKey p4:requiresEncryption=\"true\">[redacted]</masterKey></descriptor></key>")]
    public void Redaction_takes_out_the_key_and_leaves_the_rest(string text, string expected) =>
        Assert.Equal(expected, KeyRedactingLoggerFactory.Redact(text));

    private static async Task PostEveryKindAsync(HttpClient client)
    {
        Assert.Equal(HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Unique())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostLeadAsync("[]")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostLeadAsync("{}", LeadPortalFactory.IntakeKey + "-wrong")).StatusCode);
        var upperCase = await client.PostAsync($"/api/leads?KEY={LeadPortalFactory.IntakeKey}", new StringContent(SampleLeads.Unique()));
        Assert.Equal(HttpStatusCode.Created, upperCase.StatusCode);
        // The server decodes parameter names: this is the key too, and must be redacted as such.
        var encodedName = await client.PostAsync($"/api/leads?k%65y={LeadPortalFactory.IntakeKey}", new StringContent(SampleLeads.Unique()));
        Assert.Equal(HttpStatusCode.Created, encodedName.StatusCode);
        foreach (var odd in new[] { "key[]", "key%00", "x=1;key" })
        {
            await client.PostAsync($"/api/leads?{odd}={LeadPortalFactory.IntakeKey}", new StringContent(SampleLeads.Unique()));
        }
    }
}
