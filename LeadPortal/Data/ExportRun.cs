namespace LeadPortal.Data;

/// <summary>One CSV export: who, when, with which profile and filter, and exactly which leads it held.</summary>
public sealed class ExportRun
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string? UserId { get; set; }
    public string? UserName { get; set; }

    /// <summary>Null once the profile is deleted; the run keeps its own copy of the definition.</summary>
    public int? ProfileId { get; set; }

    public string ProfileName { get; set; } = "";

    /// <summary>The definition as it was, so downloading the run again gives the same file.</summary>
    public string DefinitionJson { get; set; } = "{}";

    public string FilterDescription { get; set; } = "";
    public string FilterQuery { get; set; } = "";
    public bool OnlyNew { get; set; }
    public int RowCount { get; set; }

    /// <summary>How many files the export became: 1, or the CSVs of the ZIP its profile's file limit split it into.</summary>
    public int FileCount { get; set; } = 1;

    /// <summary>Leads the filter held but the file left out because the CRM would refuse them; never marked exported.</summary>
    public int SkippedCount { get; set; }

    /// <summary>The first skipped leads' ids, comma-separated (see <c>ExportTally.MaxListedSkipped</c>).</summary>
    public string SkippedLeadIds { get; set; } = "";

    public IEnumerable<long> SkippedIds =>
        SkippedLeadIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// When someone said the CRM refused this file: its leads count as not yet exported again (the run keeps which
    /// leads it held, so it can still be downloaded again).
    /// </summary>
    public DateTime? UndoneAt { get; set; }

    public string? UndoneBy { get; set; }
}

/// <summary>A lead that went out in an export run (for "only leads not yet exported" and re-downloads).</summary>
public sealed class ExportRunLead
{
    public long ExportRunId { get; set; }
    public long LeadId { get; set; }

    /// <summary>The profile the lead counts as exported with; null once the profile is deleted or the run undone.</summary>
    public int? ProfileId { get; set; }
}
