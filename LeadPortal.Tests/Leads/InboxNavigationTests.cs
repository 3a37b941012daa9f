using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Leads.Inbox;

namespace LeadPortal.Tests.Leads;

/// <summary>The reading pane's keys and places, as tables: what a key does on which row of which page.</summary>
public sealed class InboxNavigationTests
{
    private static InboxNavigation On(int page, int rows, int total, int? current, int pageSize = 10)
    {
        var navigation = new InboxNavigation();
        navigation.Loaded(page, pageSize, Enumerable.Range(0, rows).Select(i => 1000L + page * pageSize + i).ToList(), total);
        if (current is { } row)
        {
            navigation.Open(row);
        }

        return navigation;
    }

    [Theory]
    // page, rows, total, pane on row (-1: closed), key, focused row → action, index, page
    [InlineData(0, 10, 35, -1, "j", -1, InboxKeyAction.None, 0, 0)]             // closed: app.js moves the focus
    [InlineData(0, 10, 35, -1, "Enter", 3, InboxKeyAction.Show, 3, 0)]          // Enter on a row opens the pane
    [InlineData(0, 10, 35, -1, "Enter", -1, InboxKeyAction.None, 0, 0)]         // Enter elsewhere is not ours
    [InlineData(0, 10, 35, -1, "Escape", -1, InboxKeyAction.None, 0, 0)]
    [InlineData(0, 10, 35, 3, "j", 3, InboxKeyAction.Show, 4, 0)]
    [InlineData(0, 10, 35, 3, "ArrowDown", 3, InboxKeyAction.Show, 4, 0)]
    [InlineData(0, 10, 35, 3, "k", 3, InboxKeyAction.Show, 2, 0)]
    [InlineData(0, 10, 35, 3, "ArrowUp", -1, InboxKeyAction.Show, 2, 0)]
    [InlineData(0, 10, 35, 9, "j", 9, InboxKeyAction.TurnPage, 0, 1)]           // last row: the next page
    [InlineData(1, 10, 35, 0, "k", 0, InboxKeyAction.TurnPage, 0, 0)]           // first row: the page before
    [InlineData(0, 10, 35, 0, "k", 0, InboxKeyAction.Show, 0, 0)]               // the view's first lead stays
    [InlineData(3, 5, 35, 4, "j", 4, InboxKeyAction.Show, 4, 0)]                // the view's last lead stays
    [InlineData(0, 10, 10, 9, "j", 9, InboxKeyAction.Show, 9, 0)]               // exactly one page: nothing after
    [InlineData(0, 10, 35, 3, "Enter", 3, InboxKeyAction.OpenLead, 3, 0)]       // Enter on the pane's row opens the lead
    [InlineData(0, 10, 35, 3, "Enter", -1, InboxKeyAction.OpenLead, 3, 0)]      // from inside the pane, too
    [InlineData(0, 10, 35, 3, "Enter", 6, InboxKeyAction.Show, 6, 0)]           // Enter on another row shows that one
    [InlineData(0, 10, 35, 3, "Escape", 3, InboxKeyAction.Close, 0, 0)]
    [InlineData(0, 10, 35, 3, "a", 3, InboxKeyAction.AssignToMe, 3, 0)]
    [InlineData(0, 10, 35, 3, "x", 3, InboxKeyAction.None, 0, 0)]               // selecting stays app.js's
    public void A_key_moves_the_pane_through_the_view_across_pages(
        int page, int rows, int total, int current, string key, int focused, InboxKeyAction action, int index, int toPage)
    {
        var navigation = On(page, rows, total, current < 0 ? null : current);

        Assert.Equal(new InboxStep(action, index, toPage), navigation.OnKey(key, focused));
    }

    [Theory]
    // A page turned by j shows its first row, by k its last; a reload of the same page keeps the lead; another page or
    // filter (the lead is not among the rows) closes the pane.
    [InlineData("j", 1, 0, "21 of 25")]
    [InlineData("k", 2, 9, "20 of 25")]
    public void The_page_j_or_k_turned_to_shows_its_first_or_last_row(string key, int startPage, int expectedRow, string position)
    {
        var navigation = On(startPage, 10, 25, key == "j" ? 9 : 0);
        var step = navigation.OnKey(key);
        Assert.Equal(InboxKeyAction.TurnPage, step.Action);

        navigation.Loaded(startPage, 10, Enumerable.Range(0, 10).Select(i => 1000L + startPage * 10 + i).ToList(), 25); // the old page again
        navigation.Loaded(step.Page, 10, Enumerable.Range(0, 10).Select(i => 1000L + step.Page * 10 + i).ToList(), 25);

        Assert.Equal(expectedRow, navigation.Current);
        Assert.Equal(position, navigation.Position);
        Assert.Equal(step.Page * 10 + expectedRow, navigation.Index);
    }

    [Fact]
    public void A_reload_keeps_the_lead_where_it_now_is_and_a_lead_that_left_the_page_closes_the_pane()
    {
        var navigation = On(0, 5, 5, 2);
        Assert.Equal(1002, navigation.CurrentId);

        navigation.Loaded(0, 10, [999, 1000, 1001, 1002, 1003, 1004], 6);   // a new lead arrived on top
        Assert.Equal((3, 1002L), (navigation.Current!.Value, navigation.CurrentId!.Value));
        Assert.Equal("4 of 6", navigation.Position);

        navigation.Loaded(0, 10, [999, 1000, 1001, 1003], 4);               // its status left the filter
        Assert.Null(navigation.Current);
        Assert.Null(navigation.Position);
    }

    [Fact]
    public void A_lead_link_carries_the_view_and_the_place_and_the_lead_page_reads_them_back()
    {
        var view = new InboxView(new LeadFilter { Status = LeadStatus.New, Text = "a&b" }, LeadSort.Company, false, 2, 10);

        var href = InboxNavigation.LeadHref(42, view, 27);

        Assert.StartsWith("/leads/42?view=", href, StringComparison.Ordinal);
        Assert.EndsWith("&at=27", href, StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(href[href.IndexOf('?')..]);
        Assert.Equal(view, InboxNavigation.ViewOf(query["view"]));
        Assert.Equal("/leads?status=New&q=a%26b&sort=company&page=3&size=10", InboxNavigation.InboxHref(view, 27));
        // The whole inbox is a view too.
        Assert.Equal("/leads/7?view=all", InboxNavigation.LeadHref(7, InboxView.Default, null));
        Assert.Equal(InboxView.Default, InboxNavigation.ViewOf("all"));
        Assert.Null(InboxNavigation.ViewOf(null));
    }
}
