using LeadPortal.Data;

namespace LeadPortal.Import;

/// <summary>Why a received lead has no row in the file, as far as the report can tell.</summary>
public enum ReceivedOnlyReason
{
    /// <summary>In the file's range, a real lead, and no row matches it.</summary>
    NotInFile,

    /// <summary>Partner Center's validation lead (MSFT_TEST): its downloads leave them out.</summary>
    TestLead,

    /// <summary>It repeats an earlier received lead by the matching rule (a redelivery, or the customer asking twice).</summary>
    Duplicate,

    /// <summary>Received after the file's last row (the file was downloaded before it came).</summary>
    NewerThanFile,

    /// <summary>Received before the file's first row (the download starts after it).</summary>
    OlderThanFile,

    /// <summary>It has no e-mail address, which the rule matches by.</summary>
    NoEmail,
}

/// <summary>A row of the file that no received lead matches.</summary>
public sealed record ReconciliationRow(int Row, string? Name, string? Email, string? Company, string? Offer, string? Action, DateTime At);

/// <summary>A received lead that no row of the file matches, and why.</summary>
public sealed record ReconciliationLead(
    long Id, DateTime ReceivedAt, string? Name, string? Email, string? Company, string? Offer, string? Action,
    LeadOrigin Origin, string? OriginName, ReceivedOnlyReason Reason, long? DuplicateOf)
{
    public string Why => Reconciliation.Describe(Reason, DuplicateOf);
}

/// <summary>One day (the viewer's) and offer of the report.</summary>
public sealed record ReconciliationDay(DateOnly Day, string Offer, int Matched, int InFileOnly, int ReceivedOnly);

/// <summary>
/// A file compared with the received leads: the counts, per day and offer, the rule used, the range compared, and the
/// first <see cref="Reconciliation.Shown"/> rows and leads of each side (the CSV has all of them).
/// </summary>
public sealed record ReconciliationReport(
    long RunId,
    string FileName,
    TimeSpan Window,
    TimeZoneInfo Zone,
    int Rows,
    int Matched,
    int InFileOnly,
    int ReceivedOnly,
    int RepeatsInFile,
    int Unreadable,
    DateTime FirstRowAt,
    DateTime LastRowAt,
    int LaterLeads,
    IReadOnlyList<ReconciliationDay> Days,
    IReadOnlyDictionary<ReceivedOnlyReason, int> Reasons,
    IReadOnlyList<ReconciliationRow> FileOnlyRows,
    IReadOnlyList<ReconciliationLead> ReceivedOnlyLeads)
{
    /// <summary>The received leads compared: from one window before the first row to one window after the last.</summary>
    public DateTime ComparedFrom => FirstRowAt - Window;

    public DateTime ComparedTo => LastRowAt + Window;

    /// <summary>The matching rule, in the words the report states it.</summary>
    public string Rule => $"A row of the file and a received lead are the same lead when they have {ImportDedupe.Describe(Window)} (the import's duplicate rule; the offer by its id when both have one, else by its name).";
}

/// <summary>The report, or why the file cannot be reconciled.</summary>
public sealed record ReconciliationResult(ReconciliationReport? Report, string? Error);

/// <summary>Where every row and lead of the report goes as it is found, for a download that writes them all.</summary>
public sealed record ReconciliationSink(Func<ReconciliationRow, ValueTask> FileOnly, Func<ReconciliationLead, ValueTask> ReceivedOnly);
