using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Leads;

/// <summary>
/// The inbox's free text finds people as staff type them (issue 27): without accents, last name first, a phone's
/// digits in any form, an offer title, a word of the message. On SQLite; <see cref="PeopleSearchPostgresTests"/> runs
/// the same on PostgreSQL.
/// </summary>
public class PeopleSearchTests : IDisposable
{
    private static readonly DateTime Day = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
    private readonly TestStore _store;
    private readonly LeadQuery _query;

    public PeopleSearchTests() : this(StoreProvider.Sqlite)
    {
    }

    protected PeopleSearchTests(StoreProvider provider)
    {
        _store = new TestStore(provider);
        _query = new LeadQuery(_store);
    }

    public void Dispose()
    {
        _store.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A Swedish lead, a German one and the sample's Maja Lindqvist (phone +46 8 555 0101).</summary>
    private async Task SeedAsync(bool index = true)
    {
        await _store.AddLeadBodyAsync(Body("Anna", "Svensson", "anna.svensson@contoso.example", "070-123 45 67", "SE", "Contoso AB",
            "contoso.robots", "Warehouse Robots Pro", "We want a pilot for our warehouse in Göteborg"), Day, index: index);
        await _store.AddLeadBodyAsync(Body("Jürgen", "Müller", "j.mueller@tailspin.example", "+49 30 901820", "DE", "Tailspin Toys GmbH",
            "fabrikam.leadportal-demo", "LeadPortal Demo Offer", "Customer selected Get It Now"), Day.AddHours(-1), index: index);
        await _store.AddLeadAsync("marketplace-install", Day.AddHours(-2), index: index);
    }

    private static string Body(string first, string last, string email, string phone, string country, string company, string offerId, string offer, string message) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            TestRun = Guid.NewGuid().ToString("N"),
            UserDetails = new { FirstName = first, LastName = last, Email = email, Phone = phone, Country = country, Company = company, Title = "CTO" },
            LeadSource = "AzureMarketplace-INS|" + offerId,
            ActionCode = "INS",
            OfferTitle = offer,
            Description = message,
        });

    private async Task<List<string?>> FoundAsync(string text)
    {
        var page = await _query.GetPageAsync(new LeadFilter { Text = text }, LeadSort.Received, true, 0, 50, TimeZoneInfo.Utc);
        return page.Rows.Select(r => r.Email).ToList();
    }

    [StoreTheory]
    [InlineData("muller")]
    [InlineData("MULLER")]
    [InlineData("jurgen m")]
    [InlineData("Müller, Jürgen")]
    [InlineData("mueller@tailspin")]
    public async Task A_name_is_found_without_its_accents_and_last_name_first(string text)
    {
        await SeedAsync();

        Assert.Equal(["j.mueller@tailspin.example"], await FoundAsync(text));
    }

    [StoreTheory]
    [InlineData("Svensson, Anna")]
    [InlineData("svensson, anna")]
    [InlineData("Anna Svensson")]
    public async Task Last_name_comma_first_name_finds_the_person(string text)
    {
        await SeedAsync();

        Assert.Equal(["anna.svensson@contoso.example"], await FoundAsync(text));
    }

    [StoreTheory]
    [InlineData("+46 70")]
    [InlineData("070")]
    [InlineData("070-123")]
    [InlineData("070 123 45 67")]
    [InlineData("46701234567")]
    [InlineData("+46701234567")]
    [InlineData("(070) 123")]
    public async Task A_phone_number_is_found_by_its_digits_in_any_form(string text)
    {
        await SeedAsync();

        Assert.Equal(["anna.svensson@contoso.example"], await FoundAsync(text));
    }

    [StoreTheory]
    [InlineData("warehouse robots")]
    [InlineData("contoso.robots")]
    [InlineData("pilot")]
    [InlineData("goteborg")]
    public async Task An_offer_title_or_a_word_of_the_message_finds_the_lead(string text)
    {
        await SeedAsync();

        Assert.Equal(["anna.svensson@contoso.example"], await FoundAsync(text));
    }

    [StoreFact]
    public async Task A_lead_not_yet_in_the_index_is_found_the_same_ways()
    {
        await SeedAsync(index: false);

        Assert.Equal(["j.mueller@tailspin.example"], await FoundAsync("muller"));
        Assert.Equal(["j.mueller@tailspin.example"], await FoundAsync("Müller, Jürgen"));
        Assert.Equal(["anna.svensson@contoso.example"], await FoundAsync("+46 70"));
        Assert.Equal(["anna.svensson@contoso.example"], await FoundAsync("goteborg"));
        Assert.Equal(["maja.lindqvist@fabrikam.example"], await FoundAsync("555 0101"));
    }

    [StoreFact]
    public async Task Text_that_only_looks_like_a_phone_is_also_searched_as_written()
    {
        await SeedAsync();

        // "Get It Now" leads: the digits of "+46 8 555" are Maja's number; the message words are not digits.
        Assert.Equal(["maja.lindqvist@fabrikam.example"], await FoundAsync("+46 8 555"));
        Assert.Empty(await FoundAsync("999-999"));
    }

    [StoreFact]
    public async Task Leads_without_a_name_sort_last_by_name_either_way()
    {
        await SeedAsync();
        await _store.AddLeadAsync("pii-withheld", Day.AddHours(-3));

        var ascending = await _query.GetPageAsync(new LeadFilter(), LeadSort.Name, false, 0, 50, TimeZoneInfo.Utc);
        var descending = await _query.GetPageAsync(new LeadFilter(), LeadSort.Name, true, 0, 50, TimeZoneInfo.Utc);

        Assert.Equal(["Lindqvist", "Müller", "Svensson", ""], ascending.Rows.Select(r => r.LastName ?? ""));
        Assert.Equal(["Svensson", "Müller", "Lindqvist", ""], descending.Rows.Select(r => r.LastName ?? ""));
    }
}

[PostgresStore]
public sealed class PeopleSearchPostgresTests() : PeopleSearchTests(StoreProvider.Postgres);
