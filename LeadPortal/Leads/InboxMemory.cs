namespace LeadPortal.Leads;

/// <summary>The inbox view a user last had open in this browser tab (one per circuit), so "back to the inbox" returns to it.</summary>
public sealed class InboxMemory
{
    /// <summary>The inbox address with its view, e.g. <c>/?owner=me&amp;page=2</c>.</summary>
    public string LastUrl { get; set; } = "/";

    /// <summary>Set when leaving the inbox for a lead: the inbox then restores the scroll position once it has loaded.</summary>
    public bool ReturningFromLead { get; set; }
}
