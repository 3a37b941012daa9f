namespace LeadPortal.Mapping;

/// <summary>File-wide settings of an export profile. Mutable so a profile editor can bind to it.</summary>
public sealed class FileSettings
{
    public CsvDelimiter Delimiter { get; set; } = CsvDelimiter.Comma;

    /// <summary>Whether the file starts with a UTF-8 byte order mark, which Excel needs to read UTF-8.</summary>
    public bool Utf8Bom { get; set; }

    /// <summary>The .NET format of dates, such as the ReceivedAt field.</summary>
    public string DateFormat { get; set; } = "yyyy-MM-dd HH:mm";

    /// <summary>The IANA time zone dates are shown in, such as <c>Europe/Stockholm</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Whether Partner Center's validation leads (MSFT_TEST) are exported.</summary>
    public bool IncludeTestLeads { get; set; }

    /// <summary>Whether leads with action code DNC (do not contact) are exported.</summary>
    public bool IncludeDoNotContact { get; set; }

    /// <summary>
    /// Whether a value a spreadsheet would run as a formula gets a leading <c>'</c> (safe when someone opens the file
    /// in Excel or Calc first; the CRM then stores the quote too). Off for a file that goes straight into the CRM.
    /// </summary>
    public bool FormulaGuard { get; set; } = true;

    /// <summary>The most lead rows one file may hold (Salesforce's Data Import Wizard: 50,000); null for no limit.</summary>
    public int? MaxRowsPerFile { get; set; }

    /// <summary>The largest a file may be, in bytes (Dynamics 365: 8 MB; HubSpot free: 20 MB); null for no limit.</summary>
    public long? MaxBytesPerFile { get; set; }

    /// <summary>What an export over a limit becomes: a ZIP of numbered files within it, or a refusal naming the limit.</summary>
    public OverLimit OverLimit { get; set; } = OverLimit.Split;

    public FileSettings Clone() => new()
    {
        Delimiter = Delimiter,
        Utf8Bom = Utf8Bom,
        DateFormat = DateFormat,
        TimeZone = TimeZone,
        IncludeTestLeads = IncludeTestLeads,
        IncludeDoNotContact = IncludeDoNotContact,
        FormulaGuard = FormulaGuard,
        MaxRowsPerFile = MaxRowsPerFile,
        MaxBytesPerFile = MaxBytesPerFile,
        OverLimit = OverLimit,
    };
}
