namespace LeadPortal.Data;

/// <summary>One of the reasons a lead can be disqualified for, as admins keep the list (seeded with Partner Center's decline reasons).</summary>
public sealed class DisqualifyReason
{
    public const int MaxNameLength = 80;

    public int Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The reason means little without words ("Other"): disqualifying with it requires a note.</summary>
    public bool NeedsText { get; set; }

    /// <summary>Where it shows in the list, smallest first.</summary>
    public int SortOrder { get; set; }
}
