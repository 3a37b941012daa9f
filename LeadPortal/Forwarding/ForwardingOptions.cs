using System.ComponentModel.DataAnnotations;
using LeadPortal.Data;

namespace LeadPortal.Forwarding;

/// <summary>Section <c>Forwarding</c>: how deliveries are retried, and destinations kept as code.</summary>
public sealed class ForwardingOptions : IValidatableObject
{
    public const string Section = "Forwarding";

    /// <summary>The wait after a first failed attempt; it doubles with each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts, also when a 429 or 503 answer's <c>Retry-After</c> asks for longer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A delivery still failing this long after it was queued is parked (an admin can replay it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "30.00:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the sender looks for due deliveries when nothing wakes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Lets destinations be on this machine or a private network (loopback, RFC 1918 and RFC 4193 ranges, link-local,
    /// CGNAT, cloud metadata). Off by default: a destination's URL makes this server connect where its admin points it
    /// and show the answer's start, so it must not be a way into what only the server can reach.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Destinations declared here are synced into the table at start by name, read-only in the UI.</summary>
    public List<ConfiguredDestination> Destinations { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxRetryDelay < RetryBaseDelay)
        {
            yield return new ValidationResult("Forwarding:MaxRetryDelay must not be shorter than Forwarding:RetryBaseDelay.", [nameof(MaxRetryDelay)]);
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Destinations.Count; i++)
        {
            var destination = Destinations[i];
            var where = $"Forwarding:Destinations:{i}";
            if (destination is null)
            {
                continue;
            }

            if (!string.IsNullOrWhiteSpace(destination.Name) && !names.Add(destination.Name.Trim()))
            {
                yield return new ValidationResult($"{where}: the name \"{destination.Name.Trim()}\" is used twice.", [nameof(Destinations)]);
            }

            foreach (var problem in destination.Problems(AllowPrivateNetworks))
            {
                yield return new ValidationResult($"{where}{(string.IsNullOrWhiteSpace(destination.Name) ? "" : $" ({destination.Name.Trim()})")}: {problem}", [nameof(Destinations)]);
            }
        }
    }
}

/// <summary>One entry of <c>Forwarding:Destinations</c>.</summary>
public sealed class ConfiguredDestination
{
    public string? Name { get; set; }
    public string? Url { get; set; }

    /// <summary>The signing secret, <c>whsec_</c> + base64. Read from configuration at send time, never stored.</summary>
    public string? Secret { get; set; }

    public ForwardBody Body { get; set; } = ForwardBody.Raw;

    /// <summary>For a Mapped body: the name of the mapping profile.</summary>
    public string? MappingProfile { get; set; }

    /// <summary>Action codes to forward (INS, PLT, DNC, Create, StartTestDrive); empty for every action.</summary>
    public List<string> Actions { get; set; } = [];

    /// <summary>Offer ids (publisher.offer) to forward; empty for every offer.</summary>
    public List<string> Offers { get; set; } = [];

    public bool IncludeTest { get; set; }
    public bool IncludeDoNotContact { get; set; }
    public int TimeoutSeconds { get; set; } = DestinationRules.DefaultTimeoutSeconds;

    /// <summary>Held: deliveries are queued, none sent. Applied at every start (pausing in the UI lasts until then).</summary>
    public bool Paused { get; set; }

    public IEnumerable<string> Problems(bool allowPrivateNetworks)
    {
        foreach (var problem in DestinationRules.NameProblems(Name))
        {
            yield return problem;
        }

        foreach (var problem in DestinationRules.UrlProblems(Url, allowPrivateNetworks))
        {
            yield return problem;
        }

        if (string.IsNullOrWhiteSpace(Secret))
        {
            yield return "Secret is required (whsec_ followed by base64 of 24 to 64 random bytes).";
        }
        else if (WebhookSigner.SecretProblem(Secret) is { } secretProblem)
        {
            yield return secretProblem;
        }

        if (!Enum.IsDefined(Body))
        {
            yield return "Body must be Raw or Mapped.";
        }
        else if (Body == ForwardBody.Mapped && string.IsNullOrWhiteSpace(MappingProfile))
        {
            yield return "A Mapped body needs MappingProfile (the name of a mapping profile).";
        }

        if (DestinationRules.TimeoutProblem(TimeoutSeconds) is { } timeoutProblem)
        {
            yield return timeoutProblem;
        }
    }
}
