using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Privacy;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadPortal.Tests.Privacy;

/// <summary>Erasing and exporting one person's data, on SQLite; <see cref="PersonalDataPostgresTests"/> runs the same on PostgreSQL.</summary>
public class PersonalDataTests : StoreAppTests
{
    public PersonalDataTests() : base(StoreProvider.Sqlite)
    {
    }

    protected PersonalDataTests(StoreProvider provider) : base(provider)
    {
    }

    private LeadPortalFactory App() => NewApp();

    private const string Address = "Noah.Erase-Me@Contoso.example";

    private static string BodyFor(string email, string first, string last, string tag) =>
        SampleLeads.Read("marketplace-install").Replace("maja.lindqvist@fabrikam.example", email, StringComparison.Ordinal)
            .Replace("\"Maja\"", $"\"{first}\"", StringComparison.Ordinal).Replace("\"Lindqvist\"", $"\"{last}\"", StringComparison.Ordinal)
            .Replace("Customer selected Get It Now", "Get It Now " + tag, StringComparison.Ordinal);

    private static ClaimsPrincipal Admin(string id) => new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, LeadPortalFactory.AdminEmail)], "test"));

    [StoreFact]
    public async Task Erasing_an_address_leaves_no_trace_of_it_anywhere_in_the_store_and_keeps_everyone_else()
    {
        await using var app = App();
        var client = app.CreateClient();
        var first = BodyFor(Address, "Noah", "Eraseme", "1");
        var second = BodyFor("noah.erase-me@contoso.example", "Noah", "Eraseme", "2");
        var other = BodyFor("someone.else@fabrikam.example", "Sofia", "Keep", "3");
        var ids = new List<long>();
        foreach (var body in new[] { first, second, other })
        {
            var response = await client.PostLeadAsync(body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            ids.Add(long.Parse((await response.ReadReceiptAsync()).Id));
        }

        // The address and name also end up in a note, an export's filter, a saved view, the delivery log, a digest and the audit log.
        var adminId = await app.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync());
        var workflow = app.Services.GetRequiredService<LeadWorkflow>();
        await workflow.AddNoteAsync(ids[0], "Called Noah Eraseme, asked to be mailed at noah.erase-me@contoso.example", adminId);
        await workflow.AddNoteAsync(ids[2], "Sofia mentioned noah.erase-me@contoso.example as a colleague", adminId);
        await app.QueryAsync(async db =>
        {
            var run = new ExportRun { At = DateTime.UtcNow, ProfileName = "Dynamics 365", FilterDescription = "Search: noah.erase-me@contoso.example", FilterQuery = "?q=noah.erase-me%40contoso.example", RowCount = 2 };
            db.ExportRuns.Add(run);
            await db.SaveChangesAsync();
            db.ExportRunLeads.AddRange(new ExportRunLead { ExportRunId = run.Id, LeadId = ids[0] }, new ExportRunLead { ExportRunId = run.Id, LeadId = ids[2] });
            db.SavedViews.Add(new SavedView { UserId = adminId, Name = "Noah", Query = "?q=noah.erase-me@contoso.example", CreatedAt = DateTime.UtcNow });
            db.DeliveryLog.Add(new DeliveryLogEntry { ReceivedAt = DateTime.UtcNow, Outcome = DeliveryOutcome.Rejected, StatusCode = 400, Reason = "Invalid lead", BodyStart = "{\"Email\":\"NOAH.ERASE-ME@contoso.example\"" });
            db.MailOutbox.Add(new OutgoingMail { Kind = MailKind.NewLead, To = "admin@leadportal.test", Subject = "3 new leads", TextBody = "Noah Eraseme <noah.erase-me@contoso.example>\nSofia Keep", HtmlBody = "<li>Noah Eraseme</li><li>Sofia Keep</li>", DedupKey = "digest:1", CreatedAt = DateTime.UtcNow, NextAttemptAt = DateTime.UtcNow, Status = OutboxStatus.Done });
            db.MailOutbox.Add(new OutgoingMail { Kind = MailKind.NewLead, To = "admin@leadportal.test", Subject = "New lead: Noah Eraseme", TextBody = "noah.erase-me@contoso.example", HtmlBody = "", LeadId = ids[1], DedupKey = "lead:x", CreatedAt = DateTime.UtcNow, NextAttemptAt = DateTime.UtcNow });
            db.AuditLog.Add(new AuditEntry { At = DateTime.UtcNow, Action = AuditActions.ExportDownloaded, Target = "Search noah.erase-me@contoso.example" });
            return await db.SaveChangesAsync();
        });
        var privacy = app.Services.GetRequiredService<PersonalData>();

        var preview = await privacy.PreviewAsync("  " + Address.ToUpperInvariant() + " ");
        Assert.Equal([ids[1], ids[0]], preview.Leads.Select(l => l.Id)); // newest first
        Assert.Equal(2, preview.LeadCount);
        Assert.Equal(1, preview.ExportMarks);
        Assert.Equal(1, preview.Mail);
        Assert.Equal(1, preview.PendingMail);
        Assert.True(preview.Notes >= 1);
        Assert.Equal(3, await app.QueryAsync(db => db.Leads.CountAsync())); // nothing gone yet

        var result = await privacy.EraseAsync(Admin(adminId), Address);

        Assert.Equal(2, result.Leads);
        Assert.Equal(1, result.DeliveryBodyStarts);
        Assert.True(result.OtherMentions >= 5, result.Summary);

        var dump = await DumpAsync(app);
        foreach (var needle in new[] { "noah.erase-me", "erase-me@contoso", "noah eraseme", "noah.erase-me%40" })
        {
            Assert.DoesNotContain(needle, dump, StringComparison.OrdinalIgnoreCase);
        }

        // Everyone else is intact: the other lead, its body, its note (the mention blanked), the export run and its other mark.
        var kept = await app.QueryAsync(db => db.Leads.Include(l => l.Payload).SingleAsync());
        Assert.Equal(ids[2], kept.Id);
        Assert.Equal(other, kept.Payload!.Body);
        Assert.Equal("Sofia mentioned [erased] as a colleague", await app.QueryAsync(db => db.LeadActivities.Where(a => a.LeadId == ids[2] && a.Text != null).Select(a => a.Text).SingleAsync()));
        Assert.Equal(1, await app.QueryAsync(db => db.ExportRunLeads.CountAsync()));
        Assert.Contains("Sofia Keep", await app.QueryAsync(db => db.MailOutbox.Select(m => m.TextBody).SingleAsync()));
        Assert.Equal(1, (await app.Services.GetRequiredService<LeadQuery>().GetPageAsync(new LeadFilter(), LeadSort.Received, true, 0, 50, TimeZoneInfo.Utc)).Total);
        var audit = await app.QueryAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.PersonErased).SingleAsync());
        Assert.Contains("2 lead(s)", audit.Details);
        var started = await app.QueryAsync(db => db.AuditLog.Where(a => a.Action == AuditActions.PersonErasureStarted).SingleAsync());
        Assert.True(started.Id < audit.Id);
        Assert.Null(await app.QueryAsync(db => db.StoreSettings.Where(x => x.Key == ErasureJob.StateKey).SingleOrDefaultAsync()));

        // Sent again by Partner Center, the erased lead is a new lead.
        Assert.Equal(HttpStatusCode.Created, (await client.PostLeadAsync(first)).StatusCode);
    }

    /// <summary>
    /// The forms a review still found after an erasure: the delivery log's body start with the name and phone, an export
    /// filter with the name URL-encoded, a digest's HTML with the name HTML-encoded and the company, notes with the phone.
    /// </summary>
    [StoreFact]
    public async Task Erasing_blanks_the_person_in_every_form_they_are_written_and_leaves_strangers_alone()
    {
        await using var app = App();
        var client = app.CreateClient();
        var body = BodyFor("jose.muller@contoso.example", "José", "Müllerson", "1")
            .Replace("+46 8 555 0101", "+46 70 123 45 67", StringComparison.Ordinal).Replace("Fabrikam AB", "Quokka Widgets AB", StringComparison.Ordinal);
        var response = await client.PostLeadAsync(body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stranger = await client.PostLeadAsync(BodyFor("anna.other@fabrikam.example", "Anna", "Other", "2"));
        var strangerId = long.Parse((await stranger.ReadReceiptAsync()).Id);
        var adminId = await app.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync());
        var workflow = app.Services.GetRequiredService<LeadWorkflow>();
        await workflow.AddNoteAsync(strangerId, "Anna says José called from 070-123 45 67 about Quokka Widgets AB", adminId);
        await workflow.AddNoteAsync(strangerId, "Anna works with Quokka Widgets AB too", adminId);
        // A refused delivery's body start: the person's name and phone, but no address.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostLeadAsync("{\"UserDetails\":{\"FirstName\":\"José\",\"LastName\":\"Müllerson\",\"Phone\":\"+46701234567\"")).StatusCode);
        await app.QueryAsync(async db =>
        {
            db.ExportRuns.Add(new ExportRun { At = DateTime.UtcNow, ProfileName = "HubSpot", FilterDescription = "Search: José Müllerson", FilterQuery = "?q=Jos%C3%A9%20M%C3%BCllerson", RowCount = 1 });
            db.MailOutbox.Add(new OutgoingMail
            {
                Kind = MailKind.Digest, To = "admin@leadportal.test", Subject = "Yesterday's leads", DedupKey = "digest:x", CreatedAt = DateTime.UtcNow, NextAttemptAt = DateTime.UtcNow, Status = OutboxStatus.Done,
                TextBody = "José Müllerson, Quokka Widgets AB\nAnna Other, Fabrikam",
                HtmlBody = "<li>Jos&#233; M&#252;llerson, Quokka Widgets AB</li><li>Jos&#xE9; M&#xFC;llerson</li><li>Anna Other, Fabrikam</li>",
            });
            return await db.SaveChangesAsync();
        });
        await WaitForDeliveryRowsAsync(app, 3);

        var result = await app.Services.GetRequiredService<PersonalData>().EraseAsync(Admin(adminId), "jose.muller@contoso.example");

        Assert.Equal(1, result.Leads);
        Assert.True(result.DeliveryBodyStarts >= 1, result.Summary);
        var dump = await DumpAsync(app);
        foreach (var needle in new[] { "José", "Jos&#233;", "Jos&#xE9;", "Jos%C3%A9", "Müllerson", "M&#252;llerson", "M%C3%BCllerson", "70 123 45 67", "701234567", "123 45 67" })
        {
            Assert.DoesNotContain(needle, dump, StringComparison.OrdinalIgnoreCase);
        }

        if (app.Provider == StoreProvider.Sqlite)
        {
            // The file itself, as a backup would copy it: no free page or write-ahead log frame holds the person.
            foreach (var file in new[] { app.DatabasePath, app.DatabasePath + "-wal" }.Where(File.Exists))
            {
                byte[] bytes;
                using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                using (var copy = new MemoryStream())
                {
                    await stream.CopyToAsync(copy);
                    bytes = copy.ToArray();
                }

                foreach (var needle in new[] { "jose.muller@contoso.example", "Müllerson", "José", "70 123 45 67" })
                {
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) < 0, $"{Path.GetFileName(file)} still holds '{needle}'.");
                }
            }
        }

        var notes = await app.QueryAsync(db => db.LeadActivities.Where(a => a.LeadId == strangerId && a.Text != null).OrderBy(a => a.Id).Select(a => a.Text!).ToListAsync());
        Assert.Equal("Anna says [erased] called from 07[erased] about [erased]", notes[0]);
        Assert.Equal("Anna works with Quokka Widgets AB too", notes[1]); // the company alone is not the person
        Assert.Contains("Anna Other, Fabrikam", await app.QueryAsync(db => db.MailOutbox.Where(m => m.Kind == MailKind.Digest).Select(m => m.HtmlBody).SingleAsync()));
    }

    [StoreFact]
    public async Task An_erasure_whose_instance_dies_midway_is_finished_by_another_and_audited_once_at_each_end()
    {
        await using var app = NewApp(new Dictionary<string, string?> { ["Jobs:LeaseDuration"] = "00:00:01" });
        var client = app.CreateClient();
        for (var i = 0; i < ErasureJob.LeadBatch + 50; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostLeadAsync(BodyFor(Address, "Noah", "Eraseme", $"many {i}"))).StatusCode);
        }

        var adminId = await app.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync());
        await app.Services.GetRequiredService<LeadWorkflow>().AddNoteAsync(
            long.Parse((await (await client.PostLeadAsync(BodyFor("keep@fabrikam.example", "Keep", "Me", "k"))).ReadReceiptAsync()).Id), "Noah Eraseme called", adminId);
        // Another instance of the job, on a store connection that is gone after its first batch: what a process killed
        // mid-erasure leaves (its lease held, half of the leads gone, nothing finished).
        var dying = new DyingStore(app.Services.GetRequiredService<IDbContextFactory<LeadPortalDbContext>>(), survives: 2);
        var crashed = ActivatorUtilities.CreateInstance<ErasureJob>(app.Services, new LeadPortal.Background.InstanceIdentity(), dying);

        Assert.Null(await crashed.StartAsync(Admin(adminId), Address));
        await crashed.Current!;
        var left = await app.QueryAsync(db => db.Leads.CountAsync(l => l.EmailNormalized == Address.ToLowerInvariant()));
        Assert.InRange(left, 1, ErasureJob.LeadBatch);

        // The app's own job takes it over once the lease runs out, and finishes it.
        var job = app.Services.GetRequiredService<ErasureJob>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ErasureProgress progress;
        while ((progress = await job.GetProgressAsync()).Running)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"The erasure was not resumed: {progress}");
            await Task.Delay(50);
        }

        Assert.Equal(0, await app.QueryAsync(db => db.Leads.CountAsync(l => l.EmailNormalized == Address.ToLowerInvariant())));
        Assert.Equal(ErasureJob.LeadBatch + 50, progress.Result!.Leads);
        Assert.Equal("[erased] called", await app.QueryAsync(db => db.LeadActivities.Where(a => a.Text != null).Select(a => a.Text).SingleAsync()));
        var audit = await app.QueryAsync(db => db.AuditLog.Where(a => a.Action.StartsWith("privacy.")).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([AuditActions.PersonErasureStarted, AuditActions.PersonErased], audit.Select(a => a.Action));
        Assert.Contains("resumed by another instance 1 time(s)", audit[1].Details);
    }

    /// <summary>A store that works for a number of contexts and then is gone, as for a process that died.</summary>
    private sealed class DyingStore(IDbContextFactory<LeadPortalDbContext> store, int survives) : IDbContextFactory<LeadPortalDbContext>
    {
        private int _made;

        public LeadPortalDbContext CreateDbContext() =>
            Interlocked.Increment(ref _made) <= survives ? store.CreateDbContext() : throw new InvalidOperationException("This process is gone.");

        public Task<LeadPortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => Task.FromResult(CreateDbContext());
    }

    private static async Task WaitForDeliveryRowsAsync(LeadPortalFactory app, int count)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (await app.QueryAsync(db => db.DeliveryLog.CountAsync()) < count)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "The delivery log rows were not written.");
            await Task.Delay(20);
        }
    }

    [StoreFact]
    public async Task A_persons_data_exports_as_json_with_every_lead_its_raw_body_and_activity()
    {
        await using var app = App();
        var client = app.CreateClient();
        var body = BodyFor(Address, "Noah", "Eraseme", "x");
        var id = long.Parse((await (await client.PostLeadAsync(body)).ReadReceiptAsync()).Id);
        await client.PostLeadAsync(BodyFor("someone.else@fabrikam.example", "Sofia", "Keep", "y"));
        var adminId = await app.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync());
        await app.Services.GetRequiredService<LeadWorkflow>().AddNoteAsync(id, "Wants a demo", adminId);

        using var output = new MemoryStream();
        await app.Services.GetRequiredService<PersonalData>().WriteExportAsync(Admin(adminId), Address, output);

        var json = JsonDocument.Parse(output.ToArray()).RootElement;
        Assert.Equal("noah.erase-me@contoso.example", json.GetProperty("address").GetString());
        var lead = Assert.Single(json.GetProperty("leads").EnumerateArray());
        Assert.Equal(id, lead.GetProperty("id").GetInt64());
        Assert.Equal(body, lead.GetProperty("rawBody").GetString());
        Assert.Equal("Noah", lead.GetProperty("firstName").GetString());
        Assert.Contains(lead.GetProperty("activity").EnumerateArray(), a => a.GetProperty("text").GetString() == "Wants a demo");
        Assert.DoesNotContain("Sofia", Encoding.UTF8.GetString(output.ToArray()));
        Assert.Contains(await app.QueryAsync(db => db.AuditLog.Select(a => a.Action).ToListAsync()), a => a == AuditActions.PersonExported);
        Assert.DoesNotContain(await app.QueryAsync(db => db.AuditLog.Select(a => (a.Target ?? "") + (a.Details ?? "")).ToListAsync()), t => t.Contains("erase-me", StringComparison.OrdinalIgnoreCase));
    }

    [StoreFact]
    public async Task The_json_download_carries_the_derived_contact_fields_and_finds_an_internationalised_address_in_either_spelling()
    {
        await using var app = App();
        var client = app.CreateClient();
        var body = BodyFor("Noah@Bücher.example", "Noah", "Eraseme", "idn").Replace("+46 8 555 0101", "070-123 45 67 ext. 12", StringComparison.Ordinal);
        var id = long.Parse((await (await client.PostLeadAsync(body)).ReadReceiptAsync()).Id);
        // A lead stored before punycode normalisation, not yet reprocessed: its address in lower-case Unicode.
        var older = await app.QueryAsync(async db =>
        {
            var lead = new Lead { ReceivedAt = DateTime.UtcNow, Email = "noah@bücher.example", EmailNormalized = "noah@bücher.example", BodyHash = [1, 2, 3] };
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
            return lead.Id;
        });
        var adminId = await app.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync());
        var personalData = app.Services.GetRequiredService<PersonalData>();
        // Once the dispatcher has rated it, values of the test's choosing.
        await LeadPortal.Tests.Assignment.AssignmentTestKit.OwnersAfterRoutingAsync(app, [id]);
        await app.QueryAsync(db => db.Leads.Where(l => l.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.Quality, LeadPortal.Shared.QualityRating.Medium).SetProperty(l => l.QualityReasons, LeadPortal.Shared.QualityReason.CompanyMissing)
            .SetProperty(l => l.CampaignId, "spring").SetProperty(l => l.CampaignFields, "{\"mktcmpid\":\"spring\",\"utm_term\":\"crm\"}")));

        foreach (var spelling in new[] { "noah@bücher.example", "NOAH@xn--bcher-kva.example" })
        {
            using var output = new MemoryStream();
            await personalData.WriteExportAsync(Admin(adminId), spelling, output);

            var json = JsonDocument.Parse(output.ToArray()).RootElement;
            Assert.Equal("noah@xn--bcher-kva.example", json.GetProperty("address").GetString());
            Assert.Equal([id, older], json.GetProperty("leads").EnumerateArray().Select(l => l.GetProperty("id").GetInt64()).Order());
            var derived = json.GetProperty("leads").EnumerateArray().Single(l => l.GetProperty("id").GetInt64() == id).GetProperty("derived");
            Assert.Equal("noah@xn--bcher-kva.example", derived.GetProperty("emailNormalized").GetString());
            Assert.Equal("Valid", derived.GetProperty("emailValidity").GetString());
            Assert.False(derived.GetProperty("emailIsRoleAddress").GetBoolean());
            Assert.Equal("+46701234567", derived.GetProperty("phoneE164").GetString());
            Assert.Equal("070-123 45 67", derived.GetProperty("phoneNational").GetString());
            Assert.Equal("12", derived.GetProperty("phoneExtension").GetString());
            Assert.Equal("Mobile", derived.GetProperty("phoneType").GetString());
            Assert.Equal("Valid", derived.GetProperty("phoneValidity").GetString());
            Assert.Equal("xn--bcher-kva.example", derived.GetProperty("companyDomain").GetString());
            Assert.Equal("Medium", derived.GetProperty("quality").GetString());
            Assert.Equal("No company given", derived.GetProperty("qualityReasons")[0].GetProperty("says").GetString());
            Assert.Equal("spring", derived.GetProperty("campaignId").GetString());
            Assert.Equal("crm", derived.GetProperty("campaignFields").GetProperty("utm_term").GetString());
        }

        Assert.Equal(2, (await personalData.PreviewAsync("noah@bücher.example")).LeadCount);
    }

    [StoreFact]
    public async Task The_page_s_download_posts_the_address_and_gets_a_json_attachment_and_a_stranger_gets_nothing()
    {
        await using var app = App();
        await app.CreateClient().PostLeadAsync(BodyFor(Address, "Noah", "Eraseme", "z"));
        var admin = app.CreateCookieClient();
        await admin.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);

        var response = await admin.PostFormAsync("/api/admin/personal-data/export", [new("address", Address)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition?.ToString());
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Single(json.GetProperty("leads").EnumerateArray());
        var noAddress = await admin.PostFormAsync("/api/admin/personal-data/export", [new("address", "nobody")]);
        Assert.Equal(HttpStatusCode.BadRequest, noAddress.StatusCode);
        var stranger = await app.CreateCookieClient().PostAsync("/api/admin/personal-data/export", new FormUrlEncodedContent([new("address", Address)]));
        Assert.NotEqual(HttpStatusCode.OK, stranger.StatusCode);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("not an address", null)]
    [InlineData("@contoso.example", null)]
    [InlineData("noah@", null)]
    [InlineData("  Noah@Contoso.Example ", "noah@contoso.example")]
    public void Only_an_address_is_searched_for(string input, string? expected) => Assert.Equal(expected, PersonalData.Normalize(input));

    /// <summary>Every text and blob value of every table (the search index's too), as one string.</summary>
    private async Task<string> DumpAsync(LeadPortalFactory app)
    {
        var dump = new StringBuilder();
        if (app.Provider == StoreProvider.Sqlite)
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                await using var reader = await list.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            Assert.Contains("LeadSearch", tables); // the free-text index (and its own tables) are dumped too
            foreach (var table in tables)
            {
                await using var select = connection.CreateCommand();
                select.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        var value = reader.GetValue(i);
                        dump.Append(value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString()).Append('\u0001');
                    }
                }
            }
        }
        else
        {
            await using var connection = new NpgsqlConnection(app.PostgresConnectionString);
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                await using var select = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM \"{table}\" t", connection);
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    dump.Append(reader.GetString(0)).Append('\u0001');
                }
            }
        }

        return dump.ToString();
    }
}

[PostgresStore]
public sealed class PersonalDataPostgresTests() : PersonalDataTests(StoreProvider.Postgres);
