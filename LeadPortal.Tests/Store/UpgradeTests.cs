using System.Net;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Store;

/// <summary>
/// A store made by the previous release (Fixtures/previous-release.db: the app as of commit b32ff73, last migration
/// SavedViews, with every sample lead posted and one redelivered) migrates in place when this release starts on it.
/// </summary>
public sealed class UpgradeTests : IDisposable
{
    private readonly string _database = TempDatabase.NewPath();

    public void Dispose() => TempDatabase.Delete(_database);

    [Fact(Timeout = 120_000)]
    public async Task The_previous_releases_store_migrates_in_place_with_its_leads_keys_and_admin()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "previous-release.db"), _database);

        // The fixture's leads arrived on the day it was made. Redelivery is recognised within a window from then, so the
        // app runs an hour after the fixture's last lead, not on today's date.
        var clock = new FixedTime(FixtureLastArrival(_database).AddHours(1));
        await using var app = new LeadPortalFactory(_database) { Time = clock };
        var client = app.CreateCookieClient();

        Assert.Empty(await app.QueryAsync(db => db.Database.GetPendingMigrationsAsync()));
        Assert.Equal(0, await app.QueryAsync(db => db.JobRuns.CountAsync()));
        Assert.Equal(7, await app.QueryAsync(db => db.Leads.CountAsync()));
        var bodies = await app.QueryAsync(db => db.LeadPayloads.Select(p => p.Body).ToListAsync());
        foreach (var sample in SampleLeads.Names)
        {
            Assert.Contains(SampleLeads.Read(sample), bodies);
        }

        // The admin and the key made then still work; a lead sent then is still recognised when sent again.
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().PostLeadAsync(SampleLeads.Read("appsource-contact-me"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.CreateClient().PostLeadAsync(SampleLeads.Unique())).StatusCode);
        var search = await app.Services.GetRequiredService<LeadQuery>().GetPageAsync(new LeadFilter { Text = "Lindqvist" }, LeadSort.Received, true, 0, 50, TimeZoneInfo.Utc);
        Assert.Equal(2, search.Total);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    private static DateTimeOffset FixtureLastArrival(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(ReceivedAt) FROM Leads";
        var text = (string)command.ExecuteScalar()!;
        return new DateTimeOffset(DateTime.SpecifyKind(DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc));
    }
}
