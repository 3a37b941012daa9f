using Bunit;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Leads;

/// <summary>On SQLite; <see cref="LeadDetailPostgresTests"/> runs the same on PostgreSQL.</summary>
public class LeadDetailTests : BunitTestBase
{
    public LeadDetailTests() : base(StoreProvider.Sqlite)
    {
    }

    protected LeadDetailTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task Shows_the_parsed_fields_and_the_raw_payload()
    {
        var lead = await Store.AddLeadAsync("appsource-contact-me", new DateTime(2026, 1, 5, 8, 30, 0, DateTimeKind.Utc));

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Tomás Ó Briain", cut.Find("#lead-title").TextContent);
            Assert.Contains("2026-01-05 08:30:00", cut.Find("#lead-received").TextContent);
            Assert.Contains("Contact me", cut.Markup);
            Assert.Contains("contoso.crm-addon", cut.Markup);
            Assert.Contains("\"LeadSource\": \"AppSource-PLT|contoso.crm-addon\"", cut.Find("#raw-json").TextContent);
        });
    }

    [StoreFact]
    public async Task A_do_not_contact_lead_carries_a_warning()
    {
        var lead = await Store.AddLeadAsync("do-not-contact", DateTime.UtcNow);

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() => Assert.Contains("Do not contact", cut.Find("#dnc-warning").TextContent));
    }

    [StoreFact]
    public async Task Changing_the_status_records_who_changed_it()
    {
        var lead = await Store.AddLeadAsync("marketplace-install", DateTime.UtcNow);
        var user = await Store.AddUserAsync("sam@contoso.example", "Sam Sales");
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id));
        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));
        cut.WaitForAssertion(() => cut.Find("#no-activity"));

        var select = cut.FindComponent<MudBlazor.MudSelect<LeadStatus>>();
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(LeadStatus.Qualified));

        cut.WaitForAssertion(() => Assert.Contains("Sam Sales changed the status from New to Qualified", cut.Find("#activity").TextContent));
        var stored = await Store.QueryAsync(db => db.LeadActivities.SingleAsync());
        Assert.Equal(user.Id, stored.UserId);
        Assert.Equal(LeadStatus.Qualified, await Store.QueryAsync(db => db.Leads.Select(l => l.Status).SingleAsync()));
    }

    [StoreFact]
    public async Task A_note_is_added_to_the_activity()
    {
        var lead = await Store.AddLeadAsync("marketplace-install", DateTime.UtcNow);
        var user = await Store.AddUserAsync("kim@contoso.example", "Kim");
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id));
        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));
        cut.WaitForAssertion(() => cut.Find("#no-activity"));

        var note = cut.FindComponents<MudBlazor.MudTextField<string>>().Single(f => f.Instance.Class == "note-field");
        await cut.InvokeAsync(() => note.Instance.ValueChanged.InvokeAsync("Called Maja, demo on Tuesday."));
        await cut.InvokeAsync(() => cut.Find("button#add-note").Click());

        cut.WaitForAssertion(() => Assert.Contains("Called Maja, demo on Tuesday.", cut.Find("#activity").TextContent));
        Assert.Contains("Kim added a note", cut.Find("#activity").TextContent);
    }

    [StoreFact]
    public async Task A_task_is_added_from_the_lead_page_and_one_in_the_past_is_refused_with_a_message()
    {
        Time.Now = new DateTimeOffset(2026, 12, 2, 15, 0, 0, TimeSpan.Zero);
        var lead = await Store.AddLeadAsync("appsource-contact-me", Time.Now.UtcDateTime.AddHours(-1));
        var user = await Store.AddUserAsync("kim@contoso.example", "Kim");
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id));
        Render<MudBlazor.MudSnackbarProvider>();
        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));
        cut.WaitForAssertion(() => cut.Find("#no-tasks"));

        var text = cut.FindComponents<MudBlazor.MudTextField<string>>().Single(f => f.Instance.UserAttributes.GetValueOrDefault("id") as string == "task-text");
        await cut.InvokeAsync(() => text.Instance.ValueChanged.InvokeAsync("Call back about pricing"));
        var day = cut.FindComponent<MudBlazor.MudDatePicker>();
        var clock = cut.FindComponent<MudBlazor.MudTimePicker>();
        await cut.InvokeAsync(() => day.Instance.DateChanged.InvokeAsync(new DateTime(2026, 12, 2)));
        await cut.InvokeAsync(() => clock.Instance.TimeChanged.InvokeAsync(new TimeSpan(10, 0, 0)));
        await cut.InvokeAsync(() => cut.Find("button#add-task").Click());
        var snackbar = Services.GetRequiredService<MudBlazor.ISnackbar>();
        cut.WaitForAssertion(() => Assert.Contains(snackbar.ShownSnackbars, s => s.Message != null && s.Message.Contains("has already passed")));
        Assert.Equal(0, await Store.QueryAsync(db => db.LeadTasks.CountAsync()));

        await cut.InvokeAsync(() => day.Instance.DateChanged.InvokeAsync(new DateTime(2026, 12, 3)));
        await cut.InvokeAsync(() => cut.Find("button#add-task").Click());

        cut.WaitForAssertion(() => Assert.Contains("Call back about pricing", cut.Find("#open-tasks").TextContent));
        Assert.Contains("Due Thu 3 Dec 2026 10:00 · Kim", cut.Find("#open-tasks").TextContent);
        Assert.Contains("Kim added a task: Call back about pricing", cut.Find("#activity").TextContent);
        var task = await Store.QueryAsync(db => db.LeadTasks.SingleAsync());
        Assert.Equal((new DateTime(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc), user.Id), (task.DueAt, task.OwnerId));
    }

    [StoreFact]
    public async Task Disqualifying_asks_for_a_reason_from_the_list_and_saves_nothing_until_one_is_chosen()
    {
        var lead = await Store.AddLeadAsync("appsource-contact-me", DateTime.UtcNow);
        var user = await Store.AddUserAsync("kim@contoso.example", "Kim");
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id));
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));
        cut.WaitForAssertion(() => cut.Find("#no-activity"));

        var status = cut.FindComponents<MudBlazor.MudSelect<LeadStatus>>().Single();
        _ = cut.InvokeAsync(() => status.Instance.ValueChanged.InvokeAsync(LeadStatus.Disqualified));
        dialogs.WaitForElement(".reason-list");
        Assert.Equal(
            ["Not interested", "No budget", "No authority", "No need", "Competitor", "Unreachable", "Spam, abuse or phishing", "Test", "Duplicate", "Other"],
            dialogs.FindAll(".reason-option").Select(o => o.TextContent.Trim()));

        await cut.InvokeAsync(() => dialogs.Find("button#status-save").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Choose a reason", dialogs.Find("#reason-missing").TextContent));
        var reasons = await Store.QueryAsync(db => db.DisqualifyReasons.ToDictionaryAsync(r => r.Name, r => r.Id));
        await cut.InvokeAsync(() => dialogs.FindComponent<MudBlazor.MudRadioGroup<int?>>().Instance.ValueChanged.InvokeAsync(reasons["Other"]));
        await cut.InvokeAsync(() => dialogs.Find("button#status-save").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("This reason needs a few words.", dialogs.Markup));
        Assert.Equal(LeadStatus.New, await Store.QueryAsync(db => db.Leads.Where(l => l.Id == lead.Id).Select(l => l.Status).SingleAsync()));

        await cut.InvokeAsync(() => dialogs.FindComponent<MudBlazor.MudRadioGroup<int?>>().Instance.ValueChanged.InvokeAsync(reasons["Spam, abuse or phishing"]));
        await cut.InvokeAsync(() => dialogs.Find("button#status-save").Click());

        cut.WaitForAssertion(() => Assert.Contains("Spam, abuse or phishing", cut.Find("#lead-reason").TextContent));
        Assert.Contains("Kim changed the status from New to Disqualified (Spam, abuse or phishing)", cut.Find("#activity").TextContent);
    }

    [StoreFact]
    public async Task A_do_not_contact_lead_offers_no_mail_or_call_link()
    {
        var lead = await Store.AddLeadAsync("do-not-contact", DateTime.UtcNow, l => l.Phone = "+46701234567");
        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() => Assert.Contains("Do not contact.", cut.Find("#dnc-warning").TextContent));
        Assert.Empty(cut.FindAll("a[href^='mailto:'], a[href^='tel:']"));
        Assert.Contains("priya.nair@woodgrove.example", cut.Find("#lead-email").TextContent);
    }

    private static readonly DateTime At = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    private Task<Lead> AddContactAsync(string? email, string? phone, string? country, int minutes = 0) =>
        Store.AddLeadBodyAsync(System.Text.Json.JsonSerializer.Serialize(new
        {
            UserDetails = new { FirstName = "Kim", LastName = Guid.NewGuid().ToString("N")[..8], Email = email, Phone = phone, Country = country },
            LeadSource = "AppSource-PLT|contoso.crm-addon",
        }), At.AddMinutes(minutes));

    [StoreFact]
    public async Task A_number_with_an_extension_dials_the_number_with_the_extension_as_an_RFC_3966_parameter()
    {
        var lead = await AddContactAsync("kim@contoso.example", "+1 425 555 0100 ext. 123", "US");

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() =>
        {
            var link = cut.Find("#lead-phone");
            Assert.Equal("tel:+14255550100;ext=123", link.GetAttribute("href"));
            Assert.Equal("+1 425-555-0100 ext. 123", link.TextContent);
        });
        Assert.Equal("Landline or mobile", cut.Find("#phone-type").TextContent);
        Assert.Equal("Valid number", cut.Find("#phone-validity").TextContent.Trim());
        Assert.Equal("As sent: +1 425 555 0100 ext. 123", cut.Find("#phone-as-sent").TextContent);
    }

    [StoreFact]
    public async Task A_national_number_is_shown_in_international_format_with_its_type()
    {
        var lead = await AddContactAsync("maja@fabrikam.example", "070-123 45 67", "SE");

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() => Assert.Equal("+46 70 123 45 67", cut.Find("#lead-phone").TextContent));
        Assert.Equal("tel:+46701234567", cut.Find("#lead-phone").GetAttribute("href"));
        Assert.Equal("Mobile", cut.Find("#phone-type").TextContent);
        Assert.Equal("Valid address", cut.Find("#email-validity").TextContent.Trim());
        Assert.Empty(cut.FindAll("#email-role"));
    }

    [StoreFact]
    public async Task An_invalid_number_says_so_in_words_and_its_link_leaves_the_extension_out()
    {
        var lead = await AddContactAsync("info@contoso.example", "1234567890 ext. 55", "US");

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() => Assert.Equal("Invalid number", cut.Find("#phone-validity").TextContent.Trim()));
        Assert.Equal("tel:1234567890", cut.Find("#lead-phone").GetAttribute("href"));
        Assert.Equal("1234567890 ext. 55", cut.Find("#lead-phone").TextContent);
        Assert.Empty(cut.FindAll("#phone-type"));
        Assert.Contains("Role address", cut.Find("#email-role").TextContent);
    }

    [StoreTheory]
    [InlineData("jose@xn--bcher-kva.example", "jose@bücher.example", "Valid address")]
    [InlineData("jose@bücher.example", "jose@bücher.example", "Valid address")]
    [InlineData("jose@bücher..example", "jose@bücher..example", "Invalid address")]
    [InlineData("@@", "@@", "Invalid address")]
    public async Task An_address_is_shown_in_its_own_script_with_its_validity_in_words(string email, string shown, string validity)
    {
        var lead = await AddContactAsync(email, null, "DE");

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() => Assert.Equal(shown, cut.Find("#lead-email").TextContent));
        Assert.Equal(validity, cut.Find("#email-validity").TextContent.Trim());
        Assert.Empty(cut.FindAll("#phone-validity"));
    }

    [StoreFact]
    public async Task A_lead_stored_before_the_checks_says_not_checked_yet_rather_than_valid_or_invalid()
    {
        var lead = await Store.AddLeadAsync("marketplace-install", At, l => (l.PhoneE164, l.PhoneValidity, l.EmailValidity) = (null, LeadPortal.Shared.Validity.Unknown, LeadPortal.Shared.Validity.Unknown));

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() => Assert.Equal("Not checked yet", cut.Find("#phone-validity").TextContent.Trim()));
        Assert.Equal("Not checked yet", cut.Find("#email-validity").TextContent.Trim());
    }

    [StoreFact]
    public async Task The_same_persons_other_leads_are_found_by_the_number_however_it_was_written()
    {
        var first = await AddContactAsync("maja@fabrikam.example", "+46 70 123 45 67", "SE");
        var second = await AddContactAsync("m.lindqvist@gmail.example", "070-123 45 67", "Sweden", minutes: 1);
        var byAddress = await AddContactAsync("MAJA@fabrikam.example", null, "SE", minutes: 2);
        var stranger = await AddContactAsync("sofia@fabrikam.example", "070-123 45 68", "SE", minutes: 3);

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, first.Id));

        cut.WaitForAssertion(() => cut.Find("#same-person"));
        var links = cut.FindAll("#same-person a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal([$"/leads/{byAddress.Id}", $"/leads/{second.Id}"], links);
        Assert.DoesNotContain($"/leads/{stranger.Id}", links);
    }

    [StoreFact]
    public async Task A_company_address_says_how_many_people_wrote_from_its_domain_and_links_to_their_leads()
    {
        var lead = await AddContactAsync("maja@fabrikam.example", null, "SE");
        await AddContactAsync("sofia@fabrikam.example", null, "SE", minutes: 1);
        await AddContactAsync("MAJA@fabrikam.example", null, "SE", minutes: 2);
        await AddContactAsync("maja.lindqvist@gmail.com", null, "SE", minutes: 3);

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() => Assert.Equal("2 people from fabrikam.example", cut.Find("#company-people").TextContent));
        Assert.Equal("/leads?domain=fabrikam.example", cut.Find("#company-people").GetAttribute("href"));
    }

    [StoreFact]
    public async Task A_free_mail_address_has_no_company_domain_and_says_why()
    {
        var lead = await AddContactAsync("maja.lindqvist@gmail.com", null, "SE");

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() => Assert.Contains("a free mail address says nothing of the company", cut.Find("#lead-domain").TextContent));
        Assert.Equal("Free mail provider", cut.Find("#email-freemail").TextContent.Trim());
    }

    [StoreFact]
    public async Task The_quality_rating_is_shown_with_each_reason_in_words_strongest_first()
    {
        var lead = await Store.AddLeadAsync("marketplace-install", At, l => (l.Quality, l.QualityReasons) =
            (LeadPortal.Shared.QualityRating.Low, LeadPortal.Shared.QualityReason.CompanyMissing | LeadPortal.Shared.QualityReason.DisposableDomain));

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() => Assert.Equal("Low quality", cut.Find("#quality-rating").TextContent.Trim()));
        Assert.Equal(["Throwaway mail domain · makes it Low", "No company given · makes it Medium"],
            cut.FindAll("#quality-reasons li").Select(li => System.Text.RegularExpressions.Regex.Replace(li.TextContent.Trim(), @"\s+", " ")));
    }

    [StoreFact]
    public async Task Campaign_parameters_are_shown_with_the_campaign_linking_to_its_leads()
    {
        var lead = await Store.AddLeadAsync("marketplace-install", At, l => (l.CampaignId, l.CampaignSource, l.CampaignFields) =
            ("spring 2026", "linkedin", "{\"mktcmpid\":\"spring 2026\",\"src\":\"linkedin\"}"));

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() => Assert.Equal("/leads?campaign=spring%202026", cut.Find("#campaign-id").GetAttribute("href")));
        Assert.Equal(["src: linkedin"], cut.FindAll("#lead-campaign .campaign-field").Select(c => c.TextContent.Trim()));
    }

    [StoreFact]
    public async Task A_lead_not_rated_yet_says_so_without_reasons()
    {
        var lead = await Store.AddLeadAsync("marketplace-install", At);

        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, lead.Id));

        cut.WaitForAssertion(() => Assert.Equal("Not rated yet", cut.Find("#quality-rating").TextContent.Trim()));
        Assert.Empty(cut.FindAll("#quality-reasons"));
    }

    [StoreFact]
    public void An_unknown_lead_says_so()
    {
        var cut = RenderPage<LeadDetail>(p => p.Add(x => x.Id, 424242));

        cut.WaitForAssertion(() => Assert.Contains("Lead 424242 does not exist", cut.Find("#lead-not-found").TextContent));
    }
}

[PostgresStore]
public sealed class LeadDetailPostgresTests() : LeadDetailTests(StoreProvider.Postgres);
