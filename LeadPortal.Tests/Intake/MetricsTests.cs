using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Intake;

/// <summary><c>/metrics</c> in Prometheus text: the counters move as leads arrive.</summary>
[Collection(HeavyTests.Name)]
public sealed partial class MetricsTests
{
    private static double Value(string scrape, string metric, string? label = null)
    {
        var total = 0.0;
        foreach (Match match in Sample().Matches(scrape))
        {
            if (match.Groups["name"].Value == metric && (label is null || match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                total += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    [Fact(Timeout = 120_000)]
    public async Task The_scrape_shows_leads_received_refused_and_timed_as_they_arrive()
    {
        // A process of its own: metrics listeners are process-wide, and other tests' apps in this process use the same
        // meter name (in production one process is one app).
        var database = TempDatabase.NewPath();
        var app = await AppProcess.StartAsync(database);
        try
        {
            await ScrapeAsync(app);
        }
        finally
        {
            await app.DisposeAsync();
            TempDatabase.Delete(database);
        }
    }

    private static async Task ScrapeAsync(AppProcess app)
    {
        using var client = new HttpClient { BaseAddress = new Uri(app.Address) };
        var before = await client.GetStringAsync("/metrics");

        var body = SampleLeads.Unique();
        Assert.Equal(HttpStatusCode.Created, (await client.PostLeadAsync(body)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Unique())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostLeadAsync(body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostLeadAsync(SampleLeads.Unique(), key: "lpk_wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostLeadAsync("not json")).StatusCode);
        var after = await client.GetStringAsync("/metrics");

        Assert.Equal(2, Value(after, "leadportal_leads_received_total", "outcome=\"created\"") - Value(before, "leadportal_leads_received_total", "outcome=\"created\""));
        Assert.Equal(1, Value(after, "leadportal_leads_received_total", "outcome=\"duplicate\"") - Value(before, "leadportal_leads_received_total", "outcome=\"duplicate\""));
        Assert.Equal(1, Value(after, "leadportal_leads_refused_total", "reason=\"unauthorized\"") - Value(before, "leadportal_leads_refused_total", "reason=\"unauthorized\""));
        Assert.Equal(1, Value(after, "leadportal_leads_refused_total", "reason=\"rejected\"") - Value(before, "leadportal_leads_refused_total", "reason=\"rejected\""));
        Assert.Equal(3, Value(after, "leadportal_intake_duration_seconds_count") - Value(before, "leadportal_intake_duration_seconds_count"));
        // Seconds, not milliseconds: three answers on loopback take well under a second together.
        Assert.InRange(Value(after, "leadportal_intake_duration_seconds_sum") - Value(before, "leadportal_intake_duration_seconds_sum"), 0, 3);
        Assert.Matches("""(?m)^target_info\{[^}]*service_name="leadportal"[^}]*\} 1""", after);
        Assert.Matches(@"(?m)^leadportal_writer_queue(\{[^}]*\})? \d", after);
        Assert.Matches(@"(?m)^leadportal_spool_waiting(\{[^}]*\})? 0", after);
        Assert.DoesNotContain("lpk_", after); // counts only: no key, no lead data
        Assert.DoesNotContain("lindqvist", after, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"(?m)^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN)")]
    private static partial Regex Sample();
}
