namespace LeadPortal.Data;

/// <summary>
/// An Azure Table that Partner Center writes leads to, read on a timer (Intake/Table). The row holds the source's
/// settings, how far reading has got (committed with each page of leads, so a restart resumes) and its health.
/// </summary>
public sealed class TableSource
{
    public int Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>The table's name in the storage account (Partner Center's is <c>MarketplaceLeads</c>).</summary>
    public string Table { get; set; } = "MarketplaceLeads";

    public TableCredentialKind CredentialKind { get; set; }

    /// <summary>
    /// The connection string or SAS URL, encrypted with data protection; null for a source declared in configuration,
    /// whose credential is read from there when needed and never stored.
    /// </summary>
    public string? CredentialProtected { get; set; }

    /// <summary>The table service's address (no secret in it), shown so an admin can tell sources apart.</summary>
    public string? Endpoint { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The first read starts at entities written from this time on; null: the table's whole history.</summary>
    public DateTime? Since { get; set; }

    /// <summary>Declared under <c>TableIntake:Sources</c>: kept in step with configuration at start, read-only in the UI.</summary>
    public bool FromConfiguration { get; set; }

    /// <summary>Not read (no longer declared in configuration, or paused by an admin).</summary>
    public bool Paused { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Every entity with a Timestamp up to this one has been stored (null: none yet).</summary>
    public DateTime? Checkpoint { get; set; }

    /// <summary>A first full read of the table has finished: what follows reads only what is new.</summary>
    public bool HistoryDone { get; set; }

    /// <summary>The read under way, if any: since when it reads, where its next page starts, what it has seen so far.</summary>
    public DateTime? RunStartedAt { get; set; }
    public DateTime? RunFrom { get; set; }
    public string? RunContinuation { get; set; }
    public DateTime? RunNewest { get; set; }
    public long RunRead { get; set; }
    public long RunImported { get; set; }

    public long ImportedTotal { get; set; }

    /// <summary>When a read last reached the end of the table.</summary>
    public DateTime? LastSuccessAt { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    /// <summary>When reads began to fail (null while they succeed), with the last failure in words an admin acts on.</summary>
    public DateTime? FailingSince { get; set; }
    public string? LastError { get; set; }
    public int Failures { get; set; }

    /// <summary>When the next read is due (the poll interval, or a retry's backoff or Retry-After).</summary>
    public DateTime? NextPollAt { get; set; }
}

public enum TableCredentialKind
{
    ConnectionString = 0,
    SasUrl = 1,
}
