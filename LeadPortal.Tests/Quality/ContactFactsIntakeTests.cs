using System.Net;
using System.Security.Claims;
using System.Text.Json;
using LeadPortal.Admin;
using LeadPortal.Data;
using LeadPortal.Shared;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Quality;

/// <summary>The derived contact columns as intake stores them, on SQLite; <see cref="ContactFactsIntakePostgresTests"/> on PostgreSQL.</summary>
public class ContactFactsIntakeTests(LeadPortalFactory factory) : IClassFixture<LeadPortalFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static string Body(string? email, string? phone, string? country) => JsonSerializer.Serialize(new
    {
        UserDetails = new { FirstName = "Contact", LastName = Guid.NewGuid().ToString("N"), Email = email, Phone = phone, Country = country },
        LeadSource = "AzureMarketplace-INS|contoso.quality",
    });

    private async Task<Lead> PostAsync(string body)
    {
        var response = await _client.PostLeadAsync(body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = long.Parse((await response.ReadReceiptAsync()).Id);
        return await factory.QueryAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == id));
    }

    [StoreFact]
    public async Task A_lead_is_stored_with_its_phone_and_address_normalised_and_the_raw_text_kept()
    {
        var lead = await PostAsync(Body("Info@Bücher.example", "+1 425 555 0100 ext. 123", "United States"));

        Assert.Equal(("Info@Bücher.example", "+1 425 555 0100 ext. 123", "US"), (lead.Email, lead.Phone, lead.Country));
        Assert.Equal(("info@xn--bcher-kva.example", Validity.Valid, true), (lead.EmailNormalized, lead.EmailValidity, lead.EmailIsRole));
        Assert.Equal((EmailDomainKind.Company, "xn--bcher-kva.example"), (lead.EmailDomainKind, lead.CompanyDomain));
        Assert.Equal(("+14255550100", "(425) 555-0100", "123", PhoneType.FixedLineOrMobile, Validity.Valid),
            (lead.PhoneE164, lead.PhoneNational, lead.PhoneExtension, lead.PhoneType, lead.PhoneValidity));
    }

    [StoreFact]
    public async Task A_national_number_is_read_with_the_leads_country()
    {
        var lead = await PostAsync(Body("maja@fabrikam.example", "070-123 45 67", "Sweden"));

        Assert.Equal(("+46701234567", "070-123 45 67", PhoneType.Mobile, Validity.Valid), (lead.PhoneE164, lead.PhoneNational, lead.PhoneType, lead.PhoneValidity));
        Assert.Equal((Validity.Valid, false), (lead.EmailValidity, lead.EmailIsRole));
    }

    [StoreFact]
    public async Task A_free_or_disposable_address_is_classified_and_has_no_company_domain()
    {
        var free = await PostAsync(Body("maja.lindqvist@gmail.com", null, "SE"));
        var throwaway = await PostAsync(Body("x8@mailinator.com", null, "SE"));

        Assert.Equal((EmailDomainKind.Freemail, null), (free.EmailDomainKind, free.CompanyDomain));
        Assert.Equal((EmailDomainKind.Disposable, null), (throwaway.EmailDomainKind, throwaway.CompanyDomain));
    }

    [StoreFact]
    public async Task A_lead_without_contact_data_is_unknown_on_both()
    {
        var lead = await PostAsync(Body(null, null, "SE"));

        Assert.Equal((Validity.Unknown, Validity.Unknown, PhoneType.Unknown), (lead.EmailValidity, lead.PhoneValidity, lead.PhoneType));
        Assert.Null(lead.EmailNormalized);
        Assert.Null(lead.PhoneE164);
    }

    [StoreFact]
    public async Task Reprocessing_gives_a_lead_stored_before_the_derived_columns_existed_its_values()
    {
        var stored = await PostAsync(Body("Josef@Bücher.example", "0046 70 123 45 67", "SE"));
        // As an older release left it: no derived values, the address in lower case as it came.
        await factory.QueryAsync(db => db.Leads.Where(l => l.Id == stored.Id).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.EmailNormalized, "josef@bücher.example").SetProperty(l => l.EmailValidity, Validity.Unknown)
            .SetProperty(l => l.PhoneE164, (string?)null).SetProperty(l => l.PhoneNational, (string?)null)
            .SetProperty(l => l.PhoneType, PhoneType.Unknown).SetProperty(l => l.PhoneValidity, Validity.Unknown)));
        var job = factory.Services.GetRequiredService<ReprocessJob>();
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin@leadportal.test")], "test"));

        Assert.Null(await job.StartAsync(admin));
        await job.Current!;

        var lead = await factory.QueryAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == stored.Id));
        Assert.Equal(("josef@xn--bcher-kva.example", Validity.Valid), (lead.EmailNormalized, lead.EmailValidity));
        Assert.Equal(("+46701234567", "070-123 45 67", PhoneType.Mobile, Validity.Valid), (lead.PhoneE164, lead.PhoneNational, lead.PhoneType, lead.PhoneValidity));
    }

    public static TheoryData<string, string> Garbage() => new()
    {
        { "call me maybe", "@@" },
        { new string('9', 300), new string('@', 300) },
        { "+46 70 123 45 67" + new string('x', 290), "a@b" },
        { "\\u0000", "\\u0000@\\u0000" },
        { "070\\ud800123", "ma\\udc00ja@contoso.com" },
        { "☎☎☎ 070-123", "maja@contoso..com" },
        { "+", "maja@contoso.com." },
    };

    /// <summary>Escapes (\u0000, \ud800) go into the JSON as they are, as Partner Center would send them.</summary>
    [StoreTheory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_in_the_phone_or_the_address_is_stored_invalid_with_its_raw_text(string phone, string email)
    {
        var body = "{\"UserDetails\":{\"FirstName\":\"Garbage\",\"LastName\":\"" + Guid.NewGuid().ToString("N") + "\",\"Email\":\"" + email
            + "\",\"Phone\":\"" + phone + "\",\"Country\":\"SE\"}}";

        var lead = await PostAsync(body);

        Assert.NotEqual(Validity.Valid, lead.PhoneValidity);
        Assert.NotEqual(Validity.Valid, lead.EmailValidity);
        Assert.Null(lead.PhoneE164);
        Assert.Null(lead.PhoneNational);
        var raw = await factory.QueryAsync(db => db.LeadPayloads.Where(p => p.LeadId == lead.Id).Select(p => p.Body).SingleAsync());
        Assert.Equal(body, raw);
        // U+0000 alone is no value at all (intake drops it); anything else is kept as it came.
        if (phone != "\\u0000")
        {
            Assert.Equal(Validity.Invalid, lead.PhoneValidity);
            Assert.NotNull(lead.Phone);
        }

        Assert.Equal(Validity.Invalid, lead.EmailValidity);
        Assert.Equal(lead.Email!.ToLowerInvariant(), lead.EmailNormalized);
    }
}

[PostgresStore]
public sealed class ContactFactsIntakePostgresTests(PostgresLeadPortalFactory factory) : ContactFactsIntakeTests(factory), IClassFixture<PostgresLeadPortalFactory>;
