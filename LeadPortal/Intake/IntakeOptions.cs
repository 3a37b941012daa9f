using System.ComponentModel.DataAnnotations;

namespace LeadPortal.Intake;

public sealed class IntakeOptions : IValidatableObject
{
    /// <summary>A chosen bootstrap key must be at least this long: it is the only credential Partner Center sends.</summary>
    public const int MinBootstrapKeyLength = 32;

    public const string Section = "Intake";

    /// <summary>The same body delivered again within this window is acknowledged as a duplicate, not stored twice.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Bodies larger than this get 413.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>When set and no key exists, a key with this value is created at start.</summary>
    public string? BootstrapKey { get; set; }

    /// <summary>The public address Partner Center posts to (https://leads.example.com); used to show endpoint URLs.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Delivery log entries older than this are purged.</summary>
    [Range(1, 3650)]
    public int DeliveryLogRetentionDays { get; set; } = 30;

    /// <summary>The delivery log is also kept under this size: the oldest entries go first.</summary>
    [Range(1, 100_000)]
    public int DeliveryLogMaxMegabytes { get; set; } = 100;

    /// <summary>Calls without a valid key one client may make per minute before it gets 429 (a burst of this many is allowed).</summary>
    [Range(1, 1_000_000)]
    public int RefusalsPerClientPerMinute { get; set; } = 30;

    /// <summary>Calls without a valid key all clients together may make per minute before they get 429.</summary>
    [Range(1, 10_000_000)]
    public int RefusalsPerMinute { get; set; } = 600;

    /// <summary>Refused calls logged one by one per client and reason each minute; the rest are counted in one summary row.</summary>
    [Range(1, 10_000)]
    public int RefusalSamplesPerMinute { get; set; } = 10;

    /// <summary>The most leads committed in one transaction.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 512;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(BootstrapKey) && BootstrapKey.Trim().Length < MinBootstrapKeyLength)
        {
            yield return new ValidationResult(
                $"Intake:BootstrapKey must be at least {MinBootstrapKeyLength} characters: it is the only credential Partner Center sends. " +
                "Use a long random secret, or leave it unset to have one generated.",
                [nameof(BootstrapKey)]);
        }
    }
}
