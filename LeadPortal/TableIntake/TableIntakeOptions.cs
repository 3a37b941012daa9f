using System.ComponentModel.DataAnnotations;

namespace LeadPortal.TableIntake;

/// <summary>Section <c>TableIntake</c>: reading leads from the Azure Table Partner Center writes them to, and sources kept as code.</summary>
public sealed class TableIntakeOptions : IValidatableObject
{
    public const string Section = "TableIntake";

    /// <summary>Sources declared here are synced into the table at start by name, read-only in the UI.</summary>
    public List<ConfiguredTableSource> Sources { get; set; } = [];

    /// <summary>How often each instance looks for a source that is due (its own poll interval decides when one is).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How far before the checkpoint each read starts: an entity written while the last read ran can carry a Timestamp
    /// just before the newest one that read saw. What is read twice is recognised by its PartitionKey and RowKey.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Entities per page (the table service gives at most 1,000); each page is stored in one grouped commit.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>The wait after a first failed read; it doubles with each further failure, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two tries, also when the service's <c>Retry-After</c> asks for longer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A source failing this long mails the admins (once per failure); zero for never.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan FailureAlert { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one request to the table service may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxRetryDelay < RetryBaseDelay)
        {
            yield return new ValidationResult($"{Section}:MaxRetryDelay must not be shorter than {Section}:RetryBaseDelay.", [nameof(MaxRetryDelay)]);
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Sources.Count; i++)
        {
            if (Sources[i] is not { } source)
            {
                continue;
            }

            var where = $"{Section}:Sources:{i}{(string.IsNullOrWhiteSpace(source.Name) ? "" : $" ({source.Name.Trim()})")}";
            if (!string.IsNullOrWhiteSpace(source.Name) && !names.Add(source.Name.Trim()))
            {
                yield return new ValidationResult($"{where}: the name is used twice.", [nameof(Sources)]);
            }

            var settings = new TableSourceSettings(source.Name, source.ConnectionString, source.SasUrl, source.Table, source.PollInterval, source.Since);
            foreach (var problem in settings.Problems())
            {
                yield return new ValidationResult($"{where}: {problem}", [nameof(Sources)]);
            }
        }
    }
}

/// <summary>One entry of <c>TableIntake:Sources</c>.</summary>
public sealed class ConfiguredTableSource
{
    public string? Name { get; set; }

    /// <summary>The storage account's connection string (read-only access suffices). Read from configuration when needed, never stored.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Instead of a connection string: a SAS URL of the table (or of the account) with read and query permission.</summary>
    public string? SasUrl { get; set; }

    public string? Table { get; set; }

    public TimeSpan? PollInterval { get; set; }

    /// <summary>The first read takes entities written from this time on (UTC when no offset is given); absent: the whole history.</summary>
    public DateTimeOffset? Since { get; set; }
}
