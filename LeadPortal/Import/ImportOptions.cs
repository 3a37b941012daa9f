using System.ComponentModel.DataAnnotations;

namespace LeadPortal.Import;

/// <summary>Limits and defaults of CSV imports (Leads › Import), bound to section <c>Import</c>.</summary>
public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>The largest file taken, in bytes. Default 50 MB.</summary>
    [Range(1024, 1L << 31)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>The most data rows a file may have. Default 200,000.</summary>
    [Range(1, 5_000_000)]
    public int MaxRows { get; set; } = 200_000;

    /// <summary>The most columns a file may have (a wrong separator or a broken file shows as thousands). Default 300.</summary>
    [Range(1, 5000)]
    public int MaxColumns { get; set; } = 300;

    /// <summary>The longest row, in bytes (an unclosed quote would read the rest of the file into one cell). Default 1 MB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRowBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// A row is the same lead as a stored one with the same e-mail, offer and action received this close in time (either
    /// way). Partner Center's download carries no id the webhook had. Default 48 hours.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Where uploads wait between the upload and the import (relative to the app's folder). Deleted afterwards.</summary>
    [Required]
    public string Folder { get; set; } = "App_Data/imports";

    /// <summary>
    /// More header names, per lead field (FirstName, LastName, FullName, Email, Phone, Country, Company, Title, OfferTitle,
    /// OfferId, ActionCode, LeadSource, Description, ReceivedAt): Partner Center's file is undocumented and may change.
    /// </summary>
    public Dictionary<string, string[]> Aliases { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
