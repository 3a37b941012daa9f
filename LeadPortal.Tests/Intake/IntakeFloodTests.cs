using System.IO.Compression;
using System.Net;
using System.Text;
using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Intake;

/// <summary>Refused calls cost memory, not disk, and never a valid lead's turn.</summary>
[Collection(HeavyTests.Name)]
public sealed class IntakeFloodTests
{
    private static readonly string FourKilobytes = "{\"UserDetails\":{\"Company\":\"" + new string('x', 4000) + "\"}}";

    private static long StoreBytes(string database) =>
        new[] { "", "-wal", "-shm" }.Select(s => new FileInfo(database + s)).Where(f => f.Exists).Sum(f => f.Length);

    [Fact(Timeout = 120_000)]
    public async Task A_wrong_key_flood_grows_the_store_by_little_and_every_valid_lead_posted_meanwhile_is_stored()
    {
        // Limits high enough that the flood is answered 401 throughout: the costliest case for the store.
        await using var app = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?>
        {
            ["Intake:RefusalsPerClientPerMinute"] = "1000000",
            ["Intake:RefusalsPerMinute"] = "10000000",
        });
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostLeadAsync(SampleLeads.Unique())).StatusCode);
        var before = StoreBytes(app.DatabasePath);
        var refused = 0;
        var valid = new List<HttpStatusCode>();

        var started = DateTime.UtcNow;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var flood = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await client.PostLeadAsync(FourKilobytes, "lpk_wrong-key-0123456789");
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Interlocked.Increment(ref refused);
            }
        }));
        var leads = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                valid.Add((await client.PostLeadAsync(SampleLeads.Unique())).StatusCode);
            }
        });
        await Task.WhenAll([.. flood, leads]);
        app.Services.GetRequiredService<RefusalLog>().Flush(final: true);

        Assert.True(refused > 1_000, $"only {refused} refused calls were made");
        Assert.All(valid, status => Assert.Equal(HttpStatusCode.Created, status));
        var logged = await WaitForCountAsync(app, DeliveryOutcome.Unauthorized, refused);
        // Per clock minute the flood touched: the minute's sample (10 rows) and one summary row.
        var minutes = (int)((DateTime.UtcNow.Ticks / TimeSpan.TicksPerMinute) - (started.Ticks / TimeSpan.TicksPerMinute)) + 1;
        Assert.True(logged.Rows <= 11 * minutes, $"{logged.Rows} delivery log rows for {refused} refused calls over {minutes} clock minute(s)");
        Assert.Equal(0, await app.QueryAsync(db => db.DeliveryLog.CountAsync(d => d.BodyStart != null)));
        var grown = StoreBytes(app.DatabasePath) - before;
        Assert.True(grown < 2 * 1024 * 1024 + valid.Count * 40 * 1024, $"the store grew {grown:N0} bytes for {refused} refused calls and {valid.Count} leads");
    }

    [Fact]
    public async Task A_client_that_keeps_failing_gets_429_with_retry_after_and_its_valid_leads_still_go_through()
    {
        await using var app = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?>
        {
            ["Intake:RefusalsPerClientPerMinute"] = "5",
        });
        var client = app.CreateClient();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add(await client.PostLeadAsync(SampleLeads.Unique(), "lpk_wrong"));
        }

        var lead = await client.PostLeadAsync(SampleLeads.Unique());

        Assert.All(answers.Take(5), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.All(answers.Skip(5), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        var throttled = answers[^1];
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {throttled.Headers.RetryAfter}");
        Assert.Equal("Too many refused requests", (await throttled.ReadProblemAsync()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Created, lead.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostLeadAsync("[]")).StatusCode);
        app.Services.GetRequiredService<RefusalLog>().Flush(final: true);
        Assert.Equal(3, (await WaitForCountAsync(app, DeliveryOutcome.Throttled, 3)).Count);
        var recent = app.Services.GetRequiredService<RefusalLog>().Recent();
        Assert.Contains(recent, r => r.Outcome == DeliveryOutcome.Unauthorized && r.Count == 5);
        Assert.Contains(recent, r => r.Outcome == DeliveryOutcome.Throttled && r.Count == 3 && r.StatusCode == 429);
    }

    [Fact]
    public async Task Bad_bodies_with_a_valid_key_are_logged_one_by_one_up_to_the_sample_and_counted_beyond()
    {
        await using var app = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?>
        {
            ["Intake:RefusalSamplesPerMinute"] = "4",
        });
        var client = app.CreateClient();

        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostLeadAsync($"[{i}]")).StatusCode);
        }

        app.Services.GetRequiredService<RefusalLog>().Flush(final: true);

        var logged = await WaitForCountAsync(app, DeliveryOutcome.Rejected, 25);
        Assert.Equal(5, logged.Rows);
        var rows = await app.QueryAsync(db => db.DeliveryLog.Where(d => d.Outcome == DeliveryOutcome.Rejected).OrderBy(d => d.Id).ToListAsync());
        Assert.All(rows.Take(4), r => Assert.Equal(1, r.Count));
        Assert.All(rows.Take(4), r => Assert.StartsWith("[", r.BodyStart));
        var summary = rows[^1];
        Assert.Equal(21, summary.Count);
        Assert.Null(summary.BodyStart);
        Assert.Contains("21 more like this", summary.Reason);
        Assert.Contains("must be a JSON object", summary.Reason);
    }

    [Fact]
    public async Task A_gzip_body_is_decoded_when_it_says_so_and_explained_when_it_does_not()
    {
        await using var app = new LeadPortalFactory();
        var client = app.CreateClient();
        var json = SampleLeads.Unique();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(json));
        }

        var encoded = new ByteArrayContent(compressed.ToArray());
        encoded.Headers.ContentEncoding.Add("gzip");
        var stored = await client.PostAsync(IntakeClient.Url(), encoded);
        var unlabelled = await client.PostBytesAsync(compressed.ToArray());
        var unknown = new StringContent(json);
        unknown.Headers.ContentEncoding.Add("zstd");
        var unsupported = await client.PostAsync(IntakeClient.Url(), unknown);

        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        var id = long.Parse((await stored.ReadReceiptAsync()).Id);
        Assert.Equal(json, await app.QueryAsync(db => db.LeadPayloads.Where(p => p.LeadId == id).Select(p => p.Body).SingleAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, unlabelled.StatusCode);
        Assert.Contains("gzip-compressed", (await unlabelled.ReadProblemAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        Assert.Contains("zstd", (await unsupported.ReadProblemAsync()).GetProperty("detail").GetString());
    }

    /// <summary>Waits until the delivery log accounts for <paramref name="expected"/> requests of one outcome (rows and their Count).</summary>
    private static async Task<(int Rows, long Count)> WaitForCountAsync(LeadPortalFactory app, DeliveryOutcome outcome, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var (rows, count) = await app.QueryAsync(async db =>
            {
                // One read: as two (a count, then a sum) a commit in between made the rows and their sum disagree.
                var counts = await db.DeliveryLog.Where(d => d.Outcome == outcome).Select(d => d.Count).ToListAsync();
                return (counts.Count, counts.Sum(c => (long)c));
            });
            if (count >= expected || DateTime.UtcNow > deadline)
            {
                Assert.Equal(expected, count);
                return (rows, count);
            }

            await Task.Delay(50);
        }
    }
}
