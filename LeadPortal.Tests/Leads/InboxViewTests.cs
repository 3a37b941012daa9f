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
            EmailValidity = LeadPortal.Shared.Validity.Invalid, PhoneValidity = LeadPortal.Shared.Validity.Unknown, Status = LeadStatus.Contacted, Owner = LeadFilter.Unassigned, Text = "maja & co", ShowTest = true, Ids = "3,7", Due = true, Reason = 7,
            Origin = LeadOrigin.Table, OriginName = "Marketplace table",
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
        Assert.Contains("reason=7", query);
        Assert.Null(InboxView.Parse("?reason=spam").Filter.Reason);
        Assert.Equal(["reason is \"spam\"; it is a disqualify reason's number (as the inbox's Reason filter puts it in the address)."],
            InboxView.FilterErrors(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?reason=spam")));
        Assert.Contains("origin=Table", query);
        Assert.Contains("originName=Marketplace%20table", query);
        Assert.Contains("domain=xn--bcher-kva.example", query);
        Assert.Contains("quality=low&email=invalid&phone=unknown", query);
        Assert.Null(InboxView.Parse("?quality=2&email=maybe").Filter.Quality);
        Assert.Equal(2, InboxView.FilterErrors(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?quality=2&email=maybe")).Count);
        Assert.Equal("contoso.com", InboxView.Parse("?domain=Maja@Contoso.COM").Filter.Domain);
        Assert.Null(InboxView.Parse("?domain=not a domain").Filter.Domain);
        Assert.Contains(InboxView.FilterErrors(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?domain=nope")), e => e.StartsWith("domain is \"nope\""));
        Assert.Equal("", InboxView.Default.ToQueryString());
        Assert.All(InboxView.Default.ToQuery().Values, Assert.Null);
        Assert.Equal(InboxView.Default, InboxView.Parse("?page=0&size=7&status=Nope&sort=bogus&from=2026-13-01&hide=name,bogus&origin=1"));
    }

    [Fact]
    public void An_origin_is_read_in_any_case_and_an_unknown_one_is_named_for_an_export()
    {
        Assert.Equal(LeadOrigin.Import, InboxView.Parse("?origin=import").Filter.Origin);
        Assert.Equal(["origin is \"Fax\"; it is one of Webhook, Table, Import."],
            InboxView.FilterErrors(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?origin=Fax")));
    }

    [Theory]
    [InlineData("soon", ClockFilter.Soon)]
    [InlineData("Overdue", ClockFilter.Overdue)]
    [InlineData("expiring", ClockFilter.Expiring)]
    public void A_response_clock_filter_round_trips_and_sorts_by_due(string value, ClockFilter clock)
    {
        var view = InboxView.Parse($"?clock={value}&sort=due&dir=asc");
        Assert.Equal(new InboxView(new LeadFilter { Clock = clock }, LeadSort.Due, Descending: false), view);
        Assert.Equal(view, InboxView.Parse(view.ToQueryString()));
        Assert.Contains($"clock={value.ToLowerInvariant()}", view.ToQueryString());
        Assert.Empty(InboxView.FilterErrors(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery($"?clock={value}")));
    }

    [Fact]
    public void An_unknown_clock_filter_is_dropped_by_the_inbox_and_named_for_an_export()
    {
        Assert.Null(InboxView.Parse("?clock=late").Filter.Clock);
        Assert.Equal(["clock is \"late\"; it is one of soon, overdue, expiring."],
            InboxView.FilterErrors(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?clock=late")));
        Assert.True(InboxView.Parse("?pc=notaccepted").Filter.NotAcceptedInPartnerCenter);
        Assert.Equal("?pc=notaccepted", InboxView.FilterQuery(new LeadFilter { NotAcceptedInPartnerCenter = true }));
        Assert.Equal(["pc is \"yes\"; the only value is notaccepted."], InboxView.FilterErrors(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?pc=yes")));
        // A saved view hiding the new Due column keeps working, and older hidden lists are unchanged.
        Assert.Equal("action,due", InboxView.Parse("?hide=due,action").Hidden);
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
    public void Column_widths_are_canonical_clamped_round_trip_and_reset_one_at_a_time()
    {
        // Unknown columns and bad numbers are dropped, the first of a repeat wins, widths are clamped, grid order.
        var parsed = InboxView.Parse("?w=Offer:180,,nope:90,country:x,name:5000,offer:300,received:10");
        Assert.Equal("received:48,name:800,offer:180", parsed.Widths);
        Assert.Equal(180, parsed.WidthOf("offer"));
        Assert.Null(parsed.WidthOf("company"));

        var view = InboxView.Default.WithWidth("company", 240).WithWidth("received", 120);
        Assert.Equal("received:120,company:240", view.Widths);
        Assert.Equal("?w=received%3A120%2Ccompany%3A240", view.ToQueryString());
        Assert.Equal(view, InboxView.Parse(view.ToQueryString()));
        // The selection box keeps its width; null puts a column back to the layout's, and no width left is the default view.
        Assert.Equal(view, view.WithWidth("select", 300));
        Assert.Equal(InboxView.Default, view.WithWidth("company", null).WithWidth("received", null));
        // An export keeps the filter only.
        Assert.Equal("", InboxView.FilterQuery(view.Filter));
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

    [Fact]
    public void A_lost_race_says_a_colleague_changed_the_lead_and_how_it_is_now()
    {
        var seen = new LeadListRow(4, DateTime.UtcNow, "Maja", "Lindqvist", null, "Fabrikam", "SE", null, null, "INS", null, LeadStatus.New, null, false, null, null);
        var now = seen with { Status = LeadStatus.Qualified, OwnerName = "Kim" };

        Assert.Equal("A colleague changed Maja Lindqvist meanwhile; nothing was saved. The status is now Qualified and the owner Kim.", GridEdits.Meanwhile(seen, now, "status"));
        Assert.Equal("A colleague changed Maja Lindqvist meanwhile; nothing was saved. The owner is now Kim and the status Qualified.", GridEdits.Meanwhile(seen, now, "owner"));
        Assert.Equal("A colleague changed Fabrikam meanwhile; nothing was saved. The status is now New and the owner nobody.",
            GridEdits.Meanwhile(seen with { FirstName = null, LastName = null }, seen, "status"));
        Assert.Equal("Maja Lindqvist is no longer there; nothing was changed.", GridEdits.Meanwhile(seen, null, "owner"));
    }
}
