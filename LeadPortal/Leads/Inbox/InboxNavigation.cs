namespace LeadPortal.Leads.Inbox;

/// <summary>What a key in the inbox asks for (<see cref="InboxNavigation.OnKey"/>).</summary>
public enum InboxKeyAction
{
    /// <summary>Not ours: the browser (or app.js) handles the key.</summary>
    None,

    /// <summary>Show the row at <see cref="InboxStep.Index"/> in the reading pane.</summary>
    Show,

    /// <summary>Load <see cref="InboxStep.Page"/>; the pane then shows its first row, or its last when going back.</summary>
    TurnPage,

    /// <summary>Open the row at <see cref="InboxStep.Index"/> on the full lead page.</summary>
    OpenLead,

    Close,

    AssignToMe,
}

public readonly record struct InboxStep(InboxKeyAction Action, int Index = 0, int Page = 0);

/// <summary>
/// The reading pane's place in the inbox's view: which row of the page it shows, and where j/k, the arrows, Enter and
/// Esc take it, across pages. Plain state (a few ints per circuit), so the page stays a binding and this is table-tested.
/// </summary>
public sealed class InboxNavigation
{
    private IReadOnlyList<long> _ids = [];
    private (int Page, bool Last)? _pending;

    /// <summary>The row of the page the pane shows (0-based), or null when the pane is closed.</summary>
    public int? Current { get; private set; }

    /// <summary>The lead the pane shows.</summary>
    public long? CurrentId => Current is { } current ? _ids[current] : null;

    public int Page { get; private set; }
    public int PageSize { get; private set; } = InboxView.DefaultPageSize;
    public int Rows => _ids.Count;
    public int Total { get; private set; }

    /// <summary>The shown lead's place in the whole view (0-based), as the lead page's <c>at</c> takes it.</summary>
    public int? Index => Current is { } current ? Page * PageSize + current : null;

    /// <summary>"12 of 340".</summary>
    public string? Position => Index is { } index ? $"{index + 1:N0} of {Total:N0}" : null;

    /// <summary>
    /// A page of the view arrived. The page j/k turned to shows its first row (or its last, going back); otherwise the
    /// pane keeps its lead where it is now, and closes when the lead left the page (another filter, another page).
    /// </summary>
    public void Loaded(int page, int pageSize, IReadOnlyList<long> ids, int total)
    {
        var shown = CurrentId;
        (Page, PageSize, Total, _ids) = (page, Math.Max(1, pageSize), total, ids);
        if (_pending is { } pending && pending.Page == page)
        {
            _pending = null;
            Current = ids.Count == 0 ? null : pending.Last ? ids.Count - 1 : 0;
            return;
        }

        var index = shown is { } id ? ids.ToList().IndexOf(id) : -1;
        Current = index >= 0 ? index : null;
    }

    public void Open(int row) => Current = row >= 0 && row < Rows ? row : Current;

    public void Close()
    {
        Current = null;
        _pending = null;
    }

    /// <summary>
    /// The step a key asks for. <paramref name="focusedRow"/> is the grid row that has the focus (-1: none). With the
    /// pane closed only Enter on a row is ours (it opens the pane); the rest stay app.js's (moving the focus, opening).
    /// </summary>
    public InboxStep OnKey(string key, int focusedRow = -1)
    {
        if (Current is not { } current)
        {
            return key == "Enter" && focusedRow >= 0 && focusedRow < Rows ? new(InboxKeyAction.Show, focusedRow) : default;
        }

        switch (key)
        {
            case "j" or "ArrowDown":
                if (current < Rows - 1)
                {
                    return new(InboxKeyAction.Show, current + 1);
                }

                if ((long)(Page + 1) * PageSize < Total)
                {
                    _pending = (Page + 1, false);
                    return new(InboxKeyAction.TurnPage, Page: Page + 1);
                }

                return new(InboxKeyAction.Show, current);
            case "k" or "ArrowUp":
                if (current > 0)
                {
                    return new(InboxKeyAction.Show, current - 1);
                }

                if (Page > 0)
                {
                    _pending = (Page - 1, true);
                    return new(InboxKeyAction.TurnPage, Page: Page - 1);
                }

                return new(InboxKeyAction.Show, current);
            case "Enter":
                // Enter on another row shows it; on the pane's own row (or from inside the pane) it opens the lead.
                return focusedRow >= 0 && focusedRow < Rows && focusedRow != current
                    ? new(InboxKeyAction.Show, focusedRow)
                    : new(InboxKeyAction.OpenLead, current);
            case "Escape":
                return new(InboxKeyAction.Close);
            case "a":
                return new(InboxKeyAction.AssignToMe, current);
            default:
                return default;
        }
    }

    /// <summary>The lead page for a lead of this view, carrying the view so its previous/next follow it.</summary>
    public static string LeadHref(long id, InboxView view, int? index)
    {
        // The whole inbox has an empty query string: "all" says a view was there all the same.
        var query = view.ToQueryString().TrimStart('?') is { Length: > 0 } q ? q : "all";
        return $"/leads/{id}?view={Uri.EscapeDataString(query)}" + (index is { } at ? $"&at={at}" : "");
    }

    /// <summary>The view a lead page was opened from (its <c>view</c> query value), or null.</summary>
    public static InboxView? ViewOf(string? view) => string.IsNullOrWhiteSpace(view) ? null : InboxView.Parse("?" + view);

    /// <summary>The inbox page that holds the lead at this index of the view.</summary>
    public static string InboxHref(InboxView view, int index) => "/leads" + (view with { Page = index / view.PageSize }).ToQueryString();
}
