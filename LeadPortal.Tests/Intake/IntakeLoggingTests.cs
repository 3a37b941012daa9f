using System.Net;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Intake;

public sealed class IntakeLoggingTests
{
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

        Assert.Equal(HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Unique())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostLeadAsync("[]")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostLeadAsync("{}", LeadPortalFactory.IntakeKey + "-wrong")).StatusCode);

        Assert.NotEmpty(factory.Logs.Lines);
        Assert.Contains(factory.Logs.Lines, line => line.Contains("/api/leads", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains("test-intake-key", StringComparison.Ordinal));
    }
}
