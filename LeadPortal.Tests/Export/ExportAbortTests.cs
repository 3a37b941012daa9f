using System.Net;
using System.Security.Claims;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Mapping;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Export;

/// <summary>
/// A download the browser breaks off marks nothing: on a real port (Kestrel), where a hung-up client is noticed as it is
/// in production. On SQLite; <see cref="ExportAbortPostgresTests"/> runs the same on PostgreSQL.
/// </summary>
[Collection(HeavyTests.Name)]
public class ExportAbortTests : StoreAppTests
{
    public ExportAbortTests() : base(StoreProvider.Sqlite)
    {
    }

    protected ExportAbortTests(StoreProvider provider) : base(provider)
    {
    }

    // Far more than the socket buffers on both sides hold (a few MB on loopback), so the server is still writing when
    // the client hangs up: about 20,000 rows of 1.5 KB, 30 MB.
    private const int Leads = 20_000;

    /// <summary>An app on a real port with <see cref="Leads"/> leads, each with a long description, and the admin signed in.</summary>
    private async Task<(LeadPortalFactory App, HttpClient Client, int Profile)> StartAsync()
    {
        // Hosting's "Request finished" tells the test when the export's handler is done, whatever it recorded.
        var app = NewApp(new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information" });
        app.StartKestrel();
        await app.QueryAsync(async db =>
        {
            var template = new Lead
            {
                ReceivedAt = DateTime.UtcNow.AddDays(-1), Source = "AppSource", ActionCode = "PLT", OfferId = "contoso.crm",
                FirstName = "Lead", LastName = "Number", Email = "lead@example.com", Company = "Bulk AB", Country = "SE",
                Description = new string('x', 1500), BodyHash = [1, 2, 3, 4],
            };
            db.Leads.Add(template);
            await db.SaveChangesAsync();

            // Copies of that row in one statement (see ExportFileLimitTests: row by row is far too slow on PostgreSQL).
            var columns = string.Join(", ", db.Model.FindEntityType(typeof(Lead))!.GetProperties()
                .Where(p => p.Name != nameof(Lead.Id)).Select(p => $"\"{p.GetColumnName()}\""));
            var series = Provider == StoreProvider.Postgres
                ? $"generate_series(1, {Leads - 1})"
                : $"(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Leads - 1}) SELECT i FROM n)";
            var copy = $"INSERT INTO \"Leads\" ({columns}) SELECT {columns} FROM \"Leads\", {series} AS copies WHERE \"Id\" = {template.Id}";
            await db.Database.ExecuteSqlRawAsync(copy);
            return 0;
        });

        var client = app.CreateCookieClient();
        await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        // A preset without file limits: the CSV streams straight into the response, as most exports do.
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, LeadPortalFactory.AdminEmail)], "test"));
        var copied = await app.Services.GetRequiredService<MappingProfileStore>().CopyPresetAsync(Presets.SalesforceLeadDataLoader, admin);
        return (app, client, copied.Id!.Value);
    }

    /// <summary>Waits until the app has finished the request for <paramref name="path"/> (its hosting log says so).</summary>
    private static async Task RequestFinishedAsync(LeadPortalFactory app, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!app.Logs.Lines.Any(l => l.Contains("Request finished", StringComparison.Ordinal) && l.Contains(path, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The app did not finish {path} within 60 s.");
            await Task.Delay(50);
        }
    }

    [StoreFact]
    public async Task A_download_broken_off_midway_marks_no_lead_and_the_next_only_new_export_still_has_them_all()
    {
        var (app, client, profile) = await StartAsync();
        await using var _ = app;
        var url = $"/api/exports/csv?profile={profile}&onlyNew=true";
        var token = await client.FormTokenAsync();

        // The browser's download, cancelled after the first 64 KB of about 30 MB.
        using (var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        })
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await body.ReadAsync(buffer.AsMemory(read));
                Assert.NotEqual(0, n);
                read += n;
            }
        }

        await RequestFinishedAsync(app, url);
        var ended = await app.QueryAsync(db => db.AuditLog.Where(a => a.Action.StartsWith("export.")).ToListAsync());
        var runs = await app.QueryAsync(db => db.ExportRuns.CountAsync());
        var marked = await app.QueryAsync(db => db.ExportRunLeads.CountAsync());
        var again = await client.PostFormAsync(url);
        var rows = (await again.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1;

        Assert.Equal(AuditActions.ExportBrokenOff, Assert.Single(ended).Action);
        Assert.Contains("no lead was marked exported", ended[0].Details);
        Assert.Equal(0, runs);
        Assert.Equal(0, marked);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Leads, rows);
        Assert.Equal(Leads, await app.QueryAsync(db => db.ExportRunLeads.CountAsync()));
    }
}

[PostgresStore]
public sealed class ExportAbortPostgresTests() : ExportAbortTests(StoreProvider.Postgres);
