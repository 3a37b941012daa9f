using LeadPortal.Data;
using LeadPortal.Leads;

namespace LeadPortal.Tests.Leads;

/// <summary>The inbox view's URL form and the filter's canonical values (no store involved).</summary>
public sealed class InboxViewTests
{
    [Fact]
    public void The_url_round_trips_a_view()
    {
        var filter = new LeadFilter
        {
            From = new DateOnly(2026, 1, 2), To = new DateOnly(2026, 2, 3), Offer = "a.b", Action = "PLT", Source = "AppSource",
            Country = "SE", Domain = "xn--bcher-kva.example", Quality = LeadPortal.Shared.QualityRating.Low,
            EmailValidity = LeadPortal.Shared.Validity.Invalid, PhoneValidity = LeadPortal.Shared.Validity.Unknown, Status = LeadStatus.Contacted, Owner = LeadFilter.Unassigned, Text = "maja & co", ShowTest = true, Ids = "3,7", Due = true,
        };
        var view = new InboxView(filter, LeadSort.Country, true, 2, 50) { Hidden = "company,owner" };

        var query = view.ToQueryString();
        Assert.Equal(view, InboxView.Parse(query));
        Assert.Equal(view, InboxView.Parse("https://leads.example.com/leads" + query + "#top"));
        Assert.Contains("sort=country", query);
        Assert.Contains("dir=desc", query);
        Assert.Contains("page=3", query);
        Assert.Contains("q=maja%20%26%20co", query);
        Assert.Contains("due=today", query);
        Assert.Contains("domain=xn--bcher-kva.example", query);
        Assert.Contains("quality=low&email=invalid&phone=unknown", query);
        Assert.Null(InboxView.Parse("?quality=2&email=maybe").Filter.Quality);
        Assert.Equal(2, InboxView.FilterErrors(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?quality=2&email=maybe")).Count);
        Assert.Equal("contoso.com", InboxView.Parse("?domain=Maja@Contoso.COM").Filter.Domain);
        Assert.Null(InboxView.Parse("?domain=not a domain").Filter.Domain);
        Assert.Contains(InboxView.FilterErrors(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?domain=nope")), e => e.StartsWith("domain is \"nope\""));
        Assert.Equal("", InboxView.Default.ToQueryString());
        Assert.All(InboxView.Default.ToQuery().Values, Assert.Null);
        Assert.Equal(InboxView.Default, InboxView.Parse("?page=0&size=7&status=Nope&sort=bogus&from=2026-13-01&hide=name,bogus"));
    }

    [Fact]
    public void Hidden_columns_are_canonical_and_toggle_one_at_a_time()
    {
        Assert.Equal("offer,country", InboxView.Parse("?hide=Country,,offer,country").Hidden);
        var view = InboxView.Default.WithColumn("owner", shown: false).WithColumn("received", shown: false);
        Assert.Equal("received,owner", view.Hidden);
        Assert.False(view.Shows("owner"));
        Assert.True(view.Shows("status"));
        Assert.Equal("?hide=received%2Cowner", view.ToQueryString());
        Assert.Equal(InboxView.Default, view.WithColumn("owner", true).WithColumn("received", true));
        // An export keeps the filter only.
        Assert.Equal("?country=SE", InboxView.FilterQuery((view with { Filter = new LeadFilter { Country = "SE" } }).Filter));
    }

    [Fact]
    public void A_selection_is_canonical_and_my_leads_mean_the_viewer()
    {
        Assert.Equal("2,5,9", LeadFilter.CanonicalIds("9, 5;2,,x,5,-1"));
        Assert.Null(LeadFilter.CanonicalIds("x"));
        Assert.Equal(LeadFilter.MaxIds, LeadFilter.CanonicalIds(Enumerable.Range(1, 5_000).Select(i => (long)i))!.Split(',').Length);

        var mine = new LeadFilter { Owner = LeadFilter.Me };
        Assert.Equal("user-1", mine.For("user-1").Owner);
        Assert.NotEqual(LeadFilter.Me, mine.For(null).Owner);
        Assert.Equal(LeadFilter.Unassigned, new LeadFilter { Owner = LeadFilter.Unassigned }.For("user-1").Owner);
    }
}
