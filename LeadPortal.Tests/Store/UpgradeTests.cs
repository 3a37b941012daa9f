using System.Net;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Store;

/// <summary>
/// A store made by the previous release (Fixtures/previous-release.db: the app as of commit b32ff73, last migration
/// SavedViews, with every sample lead posted and one redelivered) migrates in place when this release starts on it,
/// its follow-up days becoming tasks.
/// </summary>
public sealed class UpgradeTests : IDisposable
{
    private readonly string _database = TempDatabase.NewPath();

    public void Dispose() => TempDatabase.Delete(_database);

    [Fact(Timeout = 120_000)]
    public async Task The_previous_releases_store_migrates_in_place_with_its_leads_keys_and_admin()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "previous-release.db"), _database);
        // Follow-up days as the previous release set them: one long past, one far ahead, on the first two leads; the
        // first owned by the admin.
        var (pastLead, futureLead) = SetFollowUps(_database);

        // The fixture's leads arrived on the day it was made. Redelivery is recognised within a window from then, so the
        // app runs an hour after the fixture's last lead, not on today's date.
        var clock = new FixedTime(FixtureLastArrival(_database).AddHours(1));
        await using var app = new LeadPortalFactory(_database) { Time = clock };
        var client = app.CreateCookieClient();

        Assert.Empty(await app.QueryAsync(db => db.Database.GetPendingMigrationsAsync()));
        // The only job an upgrade starts times the leads stored before response clocks existed.
        Assert.All(await app.QueryAsync(db => db.JobRuns.Select(r => r.Name).ToListAsync()), name => Assert.Equal(LeadPortal.Responses.ResponseClockJob.JobName, name));
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

        // The follow-ups are tasks now: due at noon UTC on their day, owned by the lead's owner, the past one counted
        // as reminded (no mail for an old follow-up); "Due today" and the grid's follow-up cell read them.
        var adminId = await app.QueryAsync(db => db.Users.Where(u => u.Email == LeadPortalFactory.AdminEmail).Select(u => u.Id).SingleAsync());
        var tasks = await app.QueryAsync(db => db.LeadTasks.OrderBy(t => t.LeadId).ToListAsync());
        Assert.Equal(
            [(pastLead, "Follow up", new DateTime(2020, 1, 6, 12, 0, 0, DateTimeKind.Utc), (string?)adminId, true),
             (futureLead, "Follow up", new DateTime(2099, 3, 2, 12, 0, 0, DateTimeKind.Utc), null, false)],
            tasks.Select(t => (t.LeadId, t.Text, t.DueAt, t.OwnerId, t.RemindedAt is not null)));
        Assert.All(tasks, t => Assert.Null(t.DoneAt));
        var due = await app.Services.GetRequiredService<LeadQuery>().GetPageAsync(new LeadFilter { Due = true, ShowTest = true }, LeadSort.Received, true, 0, 50, TimeZoneInfo.Utc);
        Assert.Equal([pastLead], due.Rows.Select(r => r.Id));
        Assert.Equal(new DateTime(2020, 1, 6, 12, 0, 0, DateTimeKind.Utc), due.Rows[0].NextTaskDue);

        // Partner Center's decline reasons are there to disqualify with.
        Assert.Equal(10, await app.QueryAsync(db => db.DisqualifyReasons.CountAsync()));
        Assert.True(await app.QueryAsync(db => db.DisqualifyReasons.AnyAsync(r => r.Name == "Spam, abuse or phishing")));
    }

    private static (long Past, long Future) SetFollowUps(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE Leads SET FollowUpOn = '2020-01-06', OwnerId = (SELECT Id FROM AspNetUsers ORDER BY Id LIMIT 1), Status = 1
                WHERE Id = (SELECT MIN(Id) FROM Leads);
            UPDATE Leads SET FollowUpOn = '2099-03-02', OwnerId = NULL WHERE Id = (SELECT MIN(Id) FROM Leads WHERE Id > (SELECT MIN(Id) FROM Leads));
            SELECT Id FROM Leads WHERE FollowUpOn IS NOT NULL ORDER BY Id;
            """;
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return (ids[0], ids[1]);
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
