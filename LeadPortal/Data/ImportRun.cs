namespace LeadPortal.Data;

/// <summary>
/// One CSV import (Import/): the file, its format and mapping, how the check and the import went, who ran it. Kept after
/// the import, so the result report and Undo work after a restart. Its leads are known by their origin key
/// (<c>import:{Id}:{row}</c>, see <see cref="Lead.OriginKey"/>).
/// </summary>
public sealed class ImportRun
{
    public long Id { get; set; }

    /// <summary>The uploaded file's name, as the browser sent it (also each lead's <see cref="Lead.OriginName"/>).</summary>
    public string FileName { get; set; } = "";

    public long FileBytes { get; set; }

    /// <summary>SHA-256 of the file, hex: the import reads the same file the check read.</summary>
    public string FileSha256 { get; set; } = "";

    /// <summary>The encoding read (utf-8, utf-16le, utf-16be, windows-1252).</summary>
    public string Encoding { get; set; } = "";

    /// <summary>The separator: ",", ";" or a tab.</summary>
    public string Delimiter { get; set; } = ",";

    /// <summary>The file's header row, as a JSON array of strings.</summary>
    public string HeadersJson { get; set; } = "[]";

    /// <summary>Per column, the lead field it fills (null: not imported), as a JSON array.</summary>
    public string MappingJson { get; set; } = "[]";

    public ImportDuplicateMode DuplicateMode { get; set; }

    /// <summary>Whether the imported leads notify people as new leads do (off by default).</summary>
    public bool Notify { get; set; }

    /// <summary>How close in time a stored lead with the same e-mail, offer and action must be to count as the same lead.</summary>
    public TimeSpan DuplicateWindow { get; set; }

    public ImportState State { get; set; }

    public DateTime CreatedAt { get; set; }
    public string? CreatedById { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime? CheckedAt { get; set; }
    public DateTime? ImportStartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public DateTime? UndoneAt { get; set; }
    public string? UndoneBy { get; set; }

    /// <summary>Data rows in the file (known once the check has read it all).</summary>
    public int TotalRows { get; set; }

    /// <summary>Rows the running step has read so far.</summary>
    public int RowsDone { get; set; }

    public int Imported { get; set; }
    public int Duplicates { get; set; }

    /// <summary>Duplicates whose stored lead had empty fields filled from the row.</summary>
    public int Updated { get; set; }

    public int Refused { get; set; }

    /// <summary>Why the file as a whole was refused or the run failed; null while it goes well.</summary>
    public string? Error { get; set; }

    public List<ImportRefusal> Refusals { get; set; } = [];
}

/// <summary>One row an import did not take, with the reason in the words of the report.</summary>
public sealed class ImportRefusal
{
    public long Id { get; set; }
    public long ImportRunId { get; set; }

    /// <summary>The row as a spreadsheet numbers it (the header is row 1).</summary>
    public int Row { get; set; }

    public string? Column { get; set; }
    public string Reason { get; set; } = "";
}

/// <summary>A column mapping saved under a name, for the next file with those headers.</summary>
public sealed class SavedImportMapping
{
    public int Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>Header to field, as a JSON object (a header not in it is not imported).</summary>
    public string MappingJson { get; set; } = "{}";

    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

public enum ImportDuplicateMode
{
    /// <summary>A row that repeats a stored lead is skipped.</summary>
    Skip,

    /// <summary>A row that repeats a stored lead fills the stored lead's empty fields.</summary>
    FillEmpty,
}

public enum ImportState
{
    /// <summary>Uploaded, not yet checked.</summary>
    Uploaded,

    /// <summary>The dry run is reading the file.</summary>
    Checking,

    /// <summary>Checked: the summary says what an import would do; nothing is stored yet.</summary>
    Checked,

    /// <summary>The file cannot be imported (see <see cref="ImportRun.Error"/>); nothing was stored.</summary>
    FileRefused,

    Importing,
    Imported,

    /// <summary>The import stopped part-way (see <see cref="ImportRun.Error"/>): resume it, or undo what it stored.</summary>
    Failed,

    Undone,

    /// <summary>Left before importing; its file is gone.</summary>
    Cancelled,
}
