using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Shared;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Leads;

/// <summary>The inbox's queries on SQLite; <see cref="LeadQueryPostgresTests"/> runs the same on PostgreSQL.</summary>
public class LeadQueryTests : IDisposable
{
    private static readonly DateTime Day = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
    private readonly TestStore _store;
    private readonly LeadQuery _query;

    public LeadQueryTests() : this(StoreProvider.Sqlite)
    {
    }

    protected LeadQueryTests(StoreProvider provider)
    {
        Provider = provider;
        _store = new TestStore(provider);
        _query = new LeadQuery(_store);
    }

    protected StoreProvider Provider { get; }

    public void Dispose()
    {
        _store.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task SeedAsync()
    {
        await _store.AddLeadAsync("marketplace-install", Day);                 // SE, INS, fabrikam offer
        await _store.AddLeadAsync("appsource-contact-me", Day.AddDays(-1));    // IE, PLT
        await _store.AddLeadAsync("portal-create", Day.AddDays(-2));           // JP, Create
        await _store.AddLeadAsync("test-drive", Day.AddDays(-3));              // NG, StartTestDrive
        await _store.AddLeadAsync("do-not-contact", Day.AddDays(-4));          // IN, DNC
        await _store.AddLeadAsync("microsoft-test-lead", Day.AddDays(-5));     // test lead
        await _store.AddLeadAsync("pii-withheld", Day.AddDays(-6));            // US, nothing else
    }

    private async Task<List<string?>> EmailsAsync(LeadFilter filter, TimeZoneInfo? zone = null, LeadSort sort = LeadSort.Received, bool descending = true)
    {
        var page = await _query.GetPageAsync(filter, sort, descending, 0, 50, zone ?? TimeZoneInfo.Utc);
        Assert.Equal(page.Rows.Count, page.Total);
        return page.Rows.Select(r => r.Email).ToList();
    }

    [StoreFact]
    public async Task Newest_first_without_test_leads_by_default()
    {
        await SeedAsync();

        var emails = await EmailsAsync(new LeadFilter());

        Assert.Equal(
            ["maja.lindqvist@fabrikam.example", "tomas@northwind.example", "aiko.tanaka@tailspin.example", "ben.okafor@adatum.example",
             "priya.nair@woodgrove.example", null],
            emails);
    }

    [StoreFact]
    public async Task Show_test_leads_includes_the_validation_lead()
    {
        await SeedAsync();

        var emails = await EmailsAsync(new LeadFilter { ShowTest = true });

        Assert.Equal(7, emails.Count);
        Assert.Contains("MSFT_TEST_638000000000000001@test.com", emails);
    }

    [StoreTheory]
    [InlineData("action", "DNC", "priya.nair@woodgrove.example")]
    [InlineData("country", "JP", "aiko.tanaka@tailspin.example")]
    [InlineData("offer", "fabrikam.leadportal-demo", "maja.lindqvist@fabrikam.example")]
    [InlineData("source", "AzurePortal", "aiko.tanaka@tailspin.example")]
    [InlineData("q", "northwind", "tomas@northwind.example")]
    [InlineData("domain", "NorthWind.example", "tomas@northwind.example")]
    [InlineData("domain", "aiko@tailspin.example", "aiko.tanaka@tailspin.example")]
    [InlineData("q", "TANAKA", "aiko.tanaka@tailspin.example")]
    [InlineData("q", "Maja Lindq", "maja.lindqvist@fabrikam.example")]
    [InlineData("q", "woodgrove bank", "priya.nair@woodgrove.example")]
    public async Task Each_filter_narrows_to_the_matching_lead(string field, string value, string expected)
    {
        await SeedAsync();
        var filter = field switch
        {
            "action" => new LeadFilter { Action = value },
            "country" => new LeadFilter { Country = value },
            "offer" => new LeadFilter { Offer = value },
            "source" => new LeadFilter { Source = value },
            "domain" => new LeadFilter { Domain = value },
            _ => new LeadFilter { Text = value },
        };

        Assert.Equal([expected], await EmailsAsync(filter));
    }

    [StoreFact]
    public async Task The_origin_filters_narrow_to_leads_read_from_a_table_or_one_source_of_them()
    {
        await SeedAsync();
        await _store.AddLeadAsync("marketplace-install", Day.AddDays(1), l =>
        {
            l.Email = "table@contoso.example";
            l.Origin = LeadOrigin.Table;
            l.OriginName = "Marketplace";
            l.OriginKey = "A1";
        });
        await _store.AddLeadAsync("marketplace-install", Day.AddDays(2), l =>
        {
            l.Email = "other@contoso.example";
            l.Origin = LeadOrigin.Table;
            l.OriginName = "Other";
            l.OriginKey = "A2";
        });

        Assert.Equal(["other@contoso.example", "table@contoso.example"], await EmailsAsync(new LeadFilter { Origin = LeadOrigin.Table }));
        Assert.Equal(["table@contoso.example"], await EmailsAsync(new LeadFilter { Origin = LeadOrigin.Table, OriginName = "Marketplace" }));
        Assert.DoesNotContain("table@contoso.example", await EmailsAsync(new LeadFilter { Origin = LeadOrigin.Webhook }));
        var page = await _query.GetPageAsync(new LeadFilter { Origin = LeadOrigin.Table }, LeadSort.Received, true, 0, 25, TimeZoneInfo.Utc);
        Assert.Equal(2, page.Total);
        Assert.All(page.Rows, r => Assert.Equal(LeadOrigin.Table, r.Origin));
    }

    [StoreFact]
    public async Task Free_text_uses_the_search_index_in_any_case_and_keeps_it_current()
    {
        await SeedAsync();

        Assert.Equal(["tomas@northwind.example"], await EmailsAsync(new LeadFilter { Text = "ó briain" }));
        Assert.Empty(await EmailsAsync(new LeadFilter { Text = "say \"hi\" OR *" }));

        await _store.QueryAsync(db => db.Leads.Where(l => l.EmailNormalized == "tomas@northwind.example")
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Company, "Renamed Traders")));
        Assert.Empty(await EmailsAsync(new LeadFilter { Text = "northwind traders" }));
        Assert.Equal(["tomas@northwind.example"], await EmailsAsync(new LeadFilter { Text = "renamed trad" }));
    }


    [StoreFact]
    public async Task Free_text_treats_like_wildcards_as_plain_characters()
    {
        await SeedAsync();

        Assert.Empty(await EmailsAsync(new LeadFilter { Text = "%" }));
        Assert.Empty(await EmailsAsync(new LeadFilter { Text = "_" }));
    }

    [StoreTheory]
    [InlineData("lind\u0000qvist")]
    [InlineData("\u0000lindqvist")]
    [InlineData("lindqvist\u0000")]
    [InlineData("\u0001lind\u001fqvi\u007fst\u009f")]
    [InlineData("Maja\tLindq")]
    [InlineData("Maja\r\nLindq")]
    public async Task Free_text_with_control_characters_finds_what_the_rest_of_the_text_finds(string text)
    {
        await SeedAsync();

        Assert.Equal(["maja.lindqvist@fabrikam.example"], await EmailsAsync(new LeadFilter { Text = text }));
        Assert.Equal(1, await _query.CountMatchingAsync(new LeadFilter { Text = text }, await AllIdsAsync(), TimeZoneInfo.Utc));
    }

    [StoreTheory]
    [InlineData("\u0000")]
    [InlineData("\u0000\u0000\u0000")]
    [InlineData("\u0001\u001f\u007f\u0085")]
    [InlineData("\t\u0000 ")]
    public async Task Free_text_of_only_control_characters_is_no_text_filter(string text)
    {
        await SeedAsync();

        Assert.Equal(await EmailsAsync(new LeadFilter()), await EmailsAsync(new LeadFilter { Text = text }));
    }

    [StoreTheory]
    [InlineData("li\u0000")]
    [InlineData("\"\u0000\"")]
    [InlineData("\u0000\"\u0000 OR *")]
    public async Task Free_text_with_a_nul_never_reaches_the_database_as_an_error(string text)
    {
        await SeedAsync();
        var without = text.Replace("\u0000", "", StringComparison.Ordinal);

        Assert.Equal(await EmailsAsync(new LeadFilter { Text = without }), await EmailsAsync(new LeadFilter { Text = text }));
    }

    private Task<List<long>> AllIdsAsync() => _store.QueryAsync(db => db.Leads.Select(l => l.Id).ToListAsync());

    [StoreFact]
    public async Task A_date_range_is_in_the_viewers_time_zone_and_includes_both_days()
    {
        await SeedAsync();
        // 23:30 UTC on 8 March is already 9 March in Stockholm (UTC+1).
        await _store.AddLeadAsync("marketplace-install", new DateTime(2026, 3, 8, 23, 30, 0, DateTimeKind.Utc), l => l.Email = l.EmailNormalized = "late@fabrikam.example");
        var stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
        var filter = new LeadFilter { From = new DateOnly(2026, 3, 9), To = new DateOnly(2026, 3, 10) };

        Assert.Equal(["maja.lindqvist@fabrikam.example", "tomas@northwind.example", "late@fabrikam.example"], await EmailsAsync(filter, stockholm));
        Assert.Equal(["maja.lindqvist@fabrikam.example", "tomas@northwind.example"], await EmailsAsync(filter, TimeZoneInfo.Utc));
    }

    [StoreFact]
    public async Task Status_and_owner_filters_include_unassigned()
    {
        await SeedAsync();
        var owner = await _store.AddUserAsync("sam@contoso.example", "Sam Sales");
        var maja = await _store.QueryAsync(db => Task.FromResult(db.Leads.Single(l => l.EmailNormalized == "maja.lindqvist@fabrikam.example").Id));
        var workflow = new LeadWorkflow(_store, TimeProvider.System);
        await workflow.AssignOwnerAsync(maja, owner.Id, owner.Id);
        await workflow.ChangeStatusAsync(maja, LeadStatus.Qualified, owner.Id);

        Assert.Equal(["maja.lindqvist@fabrikam.example"], await EmailsAsync(new LeadFilter { Owner = owner.Id }));
        Assert.Equal(["maja.lindqvist@fabrikam.example"], await EmailsAsync(new LeadFilter { Status = LeadStatus.Qualified }));
        Assert.Equal(5, (await EmailsAsync(new LeadFilter { Owner = LeadFilter.Unassigned })).Count);
        var page = await _query.GetPageAsync(new LeadFilter { Owner = owner.Id }, LeadSort.Received, true, 0, 10, TimeZoneInfo.Utc);
        Assert.Equal("Sam Sales", page.Rows.Single().OwnerName);
    }

    [StoreFact]
    public async Task Sorting_and_paging_happen_in_the_database_with_a_total()
    {
        await SeedAsync();

        var byCountry = await EmailsAsync(new LeadFilter(), sort: LeadSort.Country, descending: false);
        var second = await _query.GetPageAsync(new LeadFilter(), LeadSort.Received, true, page: 1, pageSize: 2, TimeZoneInfo.Utc);

        Assert.Equal("tomas@northwind.example", byCountry[0]);   // IE, IN, JP, NG, SE, US
        Assert.Equal("priya.nair@woodgrove.example", byCountry[1]);
        Assert.Equal(6, second.Total);
        Assert.Equal(["aiko.tanaka@tailspin.example", "ben.okafor@adatum.example"], second.Rows.Select(r => r.Email));
    }

    [StoreFact]
    public async Task Filter_options_list_offers_sources_countries_and_active_users()
    {
        await SeedAsync();
        await _store.AddUserAsync("sam@contoso.example", "Sam Sales");

        var options = await _query.GetFilterOptionsAsync();

        Assert.Contains(("contoso.crm-addon", "Contoso CRM Add-on"), options.Offers);
        Assert.Equal(["AppSource", "AzureMarketplace", "AzurePortal"], options.Sources);
        Assert.Contains("SE", options.Countries);
        Assert.Contains(options.Owners, o => o.Name == "Sam Sales");
    }

    [StoreFact]
    public async Task Totals_from_the_kept_counts_match_the_rows_after_changes_and_deletes()
    {
        await SeedAsync();
        await _store.AddLeadAsync("marketplace-install", Day.AddDays(-7), l => l.Status = LeadStatus.Contacted);
        var workflow = new LeadWorkflow(_store, TimeProvider.System);
        var ids = await _store.QueryAsync(db => db.Leads.OrderBy(l => l.Id).Select(l => l.Id).ToListAsync());
        await workflow.ChangeStatusAsync(ids[0], LeadStatus.Qualified, null);
        await _store.QueryAsync(async db =>
        {
            await db.Leads.Where(l => l.Id == ids[1]).ExecuteUpdateAsync(u => u.SetProperty(l => l.Country, "SE").SetProperty(l => l.ActionCode, "INS"));
            await db.Leads.Where(l => l.Id == ids[2]).ExecuteUpdateAsync(u => u.SetProperty(l => l.IsTest, true));
            return await db.Leads.Where(l => l.Id == ids[3]).ExecuteDeleteAsync();
        });

        LeadFilter[] filters =
        [
            new(), new() { ShowTest = true }, new() { Action = "INS" }, new() { Country = "SE" }, new() { Action = "INS", Country = "SE" },
            new() { Source = "AzureMarketplace" }, new() { Status = LeadStatus.New }, new() { Status = LeadStatus.Qualified, ShowTest = true },
            new() { Country = "JP", ShowTest = true }, new() { Action = "StartTestDrive" },
        ];
        foreach (var filter in filters)
        {
            var page = await _query.GetPageAsync(filter, LeadSort.Received, true, 0, 50, TimeZoneInfo.Utc);
            var counted = await _store.QueryAsync(db => LeadQuery.Apply(db, filter, TimeZoneInfo.Utc).CountAsync());
            Assert.True(counted == page.Total, $"{filter}: {page.Total} from the counts, {counted} leads");
            Assert.Equal(counted, page.Rows.Count);
        }

        Assert.Equal(3, (await _query.GetPageAsync(new LeadFilter { Action = "INS", Country = "SE" }, LeadSort.Received, true, 0, 50, TimeZoneInfo.Utc)).Total);
    }

    [StoreTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_page_of_a_long_list_comes_in_order_from_either_end(bool descending)
    {
        // 23 leads, some received in the same instant (the id breaks the tie), paged by 5: the later pages are
        // read from the far end of the index, and must give exactly the rows an in-memory sort gives.
        for (var i = 0; i < 23; i++)
        {
            var n = i;
            await _store.AddLeadAsync("marketplace-install", Day.AddMinutes(n / 3), l => l.Email = $"lead{n}@example.com");
        }

        var expected = await _store.QueryAsync(db => db.Leads.Select(l => new { l.Id, l.ReceivedAt }).ToListAsync());
        var ordered = (descending
            ? expected.OrderByDescending(l => l.ReceivedAt).ThenByDescending(l => l.Id)
            : expected.OrderBy(l => l.ReceivedAt).ThenBy(l => l.Id)).Select(l => l.Id).ToList();

        var paged = new List<long>();
        for (var page = 0; page < 6; page++)
        {
            var result = await _query.GetPageAsync(new LeadFilter(), LeadSort.Received, descending, page, 5, TimeZoneInfo.Utc);
            Assert.Equal(23, result.Total);
            Assert.Equal(page < 4 ? 5 : page == 4 ? 3 : 0, result.Rows.Count);
            paged.AddRange(result.Rows.Select(r => r.Id));
        }

        Assert.Equal(ordered, paged);
    }

    [StoreFact]
    public async Task An_address_search_finds_every_lead_whose_address_contains_it_and_no_other()
    {
        // PostgreSQL looks an address up by its local part and checks the whole text on the rows found: a longer
        // local part or domain still contains the text, a shorter one or another domain does not.
        string[] emails =
        [
            "noah.17@coho-winery.example", "xnoah.17@coho-winery.example", "noah.17@coho-winery.example.org", "NOAH.17@Coho-Winery.Example",
            "noah.17@other.example", "noah.1@coho-winery.example", "noah.17@coho-winery.exampl", "noah.17.coho-winery.example",
        ];
        for (var i = 0; i < emails.Length; i++)
        {
            var email = emails[i];
            await _store.AddLeadAsync("marketplace-install", Day.AddMinutes(i), l => l.Email = email);
        }

        var found = await EmailsAsync(new LeadFilter { Text = "noah.17@coho-winery.example" });

        Assert.Equal(["NOAH.17@Coho-Winery.Example", "noah.17@coho-winery.example.org", "xnoah.17@coho-winery.example", "noah.17@coho-winery.example"], found);
        Assert.Equal(["noah.17@other.example"], await EmailsAsync(new LeadFilter { Text = "17@other" }));
        Assert.Equal(4, (await EmailsAsync(new LeadFilter { Text = "h.17@coho-winery.example" })).Count);
        Assert.Equal(6, (await EmailsAsync(new LeadFilter { Text = "@coho-winery.exampl" })).Count);
    }

    [StoreTheory]
    [InlineData(true, 100)]
    [InlineData(false, 100)]
    [InlineData(true, 5)]
    [InlineData(false, 5)]
    public async Task A_text_search_pages_and_counts_alike_whether_its_matches_are_few_or_many(bool descending, int atOnce)
    {
        // 23 matches (some received in the same instant) and 4 that do not match: within the one-pass limit the
        // matches are ordered here, beyond it (5) by the database; both must give the order an in-memory sort gives.
        for (var i = 0; i < 27; i++)
        {
            var n = i;
            await _store.AddLeadAsync("marketplace-install", Day.AddMinutes(n / 3), l => l.Email = n < 23 ? $"match{n}@example.com" : $"other{n}@example.com");
        }

        var expected = await _store.QueryAsync(db => db.Leads.Where(l => l.Email!.StartsWith("match")).Select(l => new { l.Id, l.ReceivedAt }).ToListAsync());
        var ordered = (descending
            ? expected.OrderByDescending(l => l.ReceivedAt).ThenByDescending(l => l.Id)
            : expected.OrderBy(l => l.ReceivedAt).ThenBy(l => l.Id)).Select(l => l.Id).ToList();
        var query = new LeadQuery(_store, atOnce);

        var paged = new List<long>();
        for (var page = 0; page < 6; page++)
        {
            var result = await query.GetPageAsync(new LeadFilter { Text = "match" }, LeadSort.Received, descending, page, 5, TimeZoneInfo.Utc);
            Assert.Equal(23, result.Total);
            Assert.Equal(page < 4 ? 5 : page == 4 ? 3 : 0, result.Rows.Count);
            paged.AddRange(result.Rows.Select(r => r.Id));
        }

        Assert.Equal(ordered, paged);
    }

    [StoreFact]
    public async Task Filter_options_give_each_offer_its_newest_title_and_forget_deleted_countries()
    {
        await SeedAsync();
        await _store.AddLeadAsync("appsource-contact-me", Day.AddDays(1), l => l.OfferTitle = "Contoso CRM Add-on 2");
        await _store.QueryAsync(db => db.Leads.Where(l => l.Country == "JP").ExecuteDeleteAsync());

        var options = await _query.GetFilterOptionsAsync();

        Assert.Contains(("contoso.crm-addon", "Contoso CRM Add-on 2"), options.Offers);
        Assert.Equal(options.Offers.Count, options.Offers.Select(o => o.Id).Distinct().Count());
        Assert.DoesNotContain("JP", options.Countries);
        Assert.Contains("SE", options.Countries);
    }

    [StoreFact]
    public async Task New_arrivals_are_counted_against_the_filter_by_looking_them_up()
    {
        await SeedAsync();
        var all = await _store.QueryAsync(db => db.Leads.Select(l => new { l.Id, l.Country, l.IsTest }).ToListAsync());
        var ids = all.Select(l => l.Id).ToList();

        Assert.Equal(6, await _query.CountMatchingAsync(new LeadFilter(), ids, TimeZoneInfo.Utc));
        Assert.Equal(7, await _query.CountMatchingAsync(new LeadFilter { ShowTest = true }, ids, TimeZoneInfo.Utc));
        Assert.Equal(1, await _query.CountMatchingAsync(new LeadFilter { Country = "SE" }, ids, TimeZoneInfo.Utc));
        Assert.Equal(0, await _query.CountMatchingAsync(new LeadFilter { Country = "SE" }, ids.Where(id => all.Single(l => l.Id == id).Country != "SE").ToList(), TimeZoneInfo.Utc));
        Assert.Equal(1, await _query.CountMatchingAsync(new LeadFilter { Text = "lindqvist" }, ids, TimeZoneInfo.Utc));
        Assert.Equal(0, await _query.CountMatchingAsync(new LeadFilter(), [], TimeZoneInfo.Utc));
    }


    [StoreFact]
    public async Task My_leads_and_a_selection_filter_the_inbox()
    {
        using var store = new TestStore(Provider);
        var me = await store.AddUserAsync("me@leadportal.test", "Me");
        var other = await store.AddUserAsync("other@leadportal.test", "Other");
        var a = await store.AddLeadAsync("marketplace-install", DateTime.UtcNow.AddMinutes(-3), l => l.OwnerId = me.Id);
        var b = await store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow.AddMinutes(-2), l => l.OwnerId = other.Id);
        var c = await store.AddLeadAsync("test-drive", DateTime.UtcNow.AddMinutes(-1));
        var query = new LeadQuery(store);

        var mine = await query.GetPageAsync(new LeadFilter { Owner = LeadFilter.Me }.For(me.Id), LeadSort.Received, true, 0, 25, TimeZoneInfo.Utc);
        Assert.Equal([a.Id], mine.Rows.Select(r => r.Id));
        var selected = await query.GetPageAsync(new LeadFilter { Ids = LeadFilter.CanonicalIds([c.Id, b.Id]) }, LeadSort.Received, true, 0, 25, TimeZoneInfo.Utc);
        Assert.Equal([c.Id, b.Id], selected.Rows.Select(r => r.Id));
        Assert.Equal(2, selected.Total);
    }

    [StoreFact]
    public async Task Due_today_lists_leads_with_an_open_task_due_by_the_end_of_the_viewers_day_that_are_still_being_worked()
    {
        using var store = new TestStore(Provider);
        // 12:00 UTC is 02:00 the next day at UTC+14: "today" there ends at 10:00 UTC tomorrow.
        var now = new DateTime(2026, 6, 10, 12, 0, 0, DateTimeKind.Utc);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati");
        var endOfToday = new DateTime(2026, 6, 11, 10, 0, 0, DateTimeKind.Utc);
        var due = await store.AddLeadAsync("marketplace-install", now.AddMinutes(-5));
        var overdue = await store.AddLeadAsync("appsource-contact-me", now.AddMinutes(-4));
        var tomorrow = await store.AddLeadAsync("test-drive", now.AddMinutes(-3));
        var converted = await store.AddLeadAsync("portal-create", now.AddMinutes(-2), l => l.Status = LeadStatus.Converted);
        var done = await store.AddLeadAsync("pii-withheld", now.AddMinutes(-1));
        await using (var db = store.CreateDbContext())
        {
            db.LeadTasks.AddRange(
                new LeadTask { LeadId = due.Id, Text = "Call", DueAt = endOfToday.AddMinutes(-1), CreatedAt = now },
                new LeadTask { LeadId = overdue.Id, Text = "Call", DueAt = now.AddDays(-3), CreatedAt = now },
                new LeadTask { LeadId = tomorrow.Id, Text = "Call", DueAt = endOfToday, CreatedAt = now },
                new LeadTask { LeadId = converted.Id, Text = "Call", DueAt = now, CreatedAt = now },
                new LeadTask { LeadId = done.Id, Text = "Call", DueAt = now, CreatedAt = now, DoneAt = now });
            await db.SaveChangesAsync();
        }

        var page = await new LeadQuery(store, time: new FixedTime(now)).GetPageAsync(new LeadFilter { Due = true }, LeadSort.Received, true, 0, 25, zone);

        Assert.Equal([overdue.Id, due.Id], page.Rows.Select(r => r.Id));
        Assert.Equal(2, page.Total);
        Assert.Equal(endOfToday.AddMinutes(-1), page.Rows[1].NextTaskDue);
    }

    [StoreFact]
    public async Task A_companys_people_are_counted_by_address_and_its_leads_listed_by_domain_newest_first()
    {
        var first = await _store.AddLeadAsync("marketplace-install", Day.AddHours(-3), l => (l.Email, l.EmailNormalized, l.CompanyDomain) = ("a@contoso.com", "a@contoso.com", "contoso.com"));
        await _store.AddLeadAsync("marketplace-install", Day.AddHours(-2), l => (l.Email, l.EmailNormalized, l.CompanyDomain) = ("a@contoso.com", "a@contoso.com", "contoso.com"));
        await _store.AddLeadAsync("marketplace-install", Day.AddHours(-1), l => (l.Email, l.EmailNormalized, l.CompanyDomain) = ("b@contoso.com", "b@contoso.com", "contoso.com"));
        await _store.AddLeadAsync("marketplace-install", Day, l => (l.Email, l.EmailNormalized, l.CompanyDomain) = ("c@fabrikam.com", "c@fabrikam.com", "fabrikam.com"));

        Assert.Equal(["b@contoso.com", "a@contoso.com", "a@contoso.com"], await EmailsAsync(new LeadFilter { Domain = "contoso.com" }));
        var view = await new LeadWorkflow(_store, TimeProvider.System).GetAsync(first.Id);
        Assert.Equal(2, view!.CompanyPeople);
    }

    [StoreFact]
    public async Task Quality_and_validity_filters_narrow_to_their_leads_and_combine()
    {
        await _store.AddLeadAsync("marketplace-install", Day, l => (l.Quality, l.EmailValidity, l.PhoneValidity) = (QualityRating.High, Validity.Valid, Validity.Valid));
        await _store.AddLeadAsync("appsource-contact-me", Day.AddHours(-1), l => (l.Quality, l.EmailValidity, l.PhoneValidity) = (QualityRating.Low, Validity.Invalid, Validity.Valid));
        await _store.AddLeadAsync("portal-create", Day.AddHours(-2), l => (l.Quality, l.EmailValidity, l.PhoneValidity) = (QualityRating.Low, Validity.Valid, Validity.Invalid));
        await _store.AddLeadAsync("test-drive", Day.AddHours(-3), l => (l.Quality, l.EmailValidity, l.PhoneValidity) = (QualityRating.Unrated, Validity.Unknown, Validity.Unknown));

        Assert.Equal(["tomas@northwind.example", "aiko.tanaka@tailspin.example"], await EmailsAsync(new LeadFilter { Quality = QualityRating.Low }));
        Assert.Equal(["ben.okafor@adatum.example"], await EmailsAsync(new LeadFilter { Quality = QualityRating.Unrated }));
        Assert.Equal(["tomas@northwind.example"], await EmailsAsync(new LeadFilter { EmailValidity = Validity.Invalid }));
        Assert.Equal(["aiko.tanaka@tailspin.example"], await EmailsAsync(new LeadFilter { PhoneValidity = Validity.Invalid }));
        Assert.Equal(["aiko.tanaka@tailspin.example"], await EmailsAsync(new LeadFilter { Quality = QualityRating.Low, EmailValidity = Validity.Valid }));
        Assert.Empty(await EmailsAsync(new LeadFilter { Quality = QualityRating.Medium }));
    }
}

[PostgresStore]
public sealed class LeadQueryPostgresTests() : LeadQueryTests(StoreProvider.Postgres);
