using System.ComponentModel.DataAnnotations;

namespace LeadPortal.Notifications;

public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The portal's public address for links in mail; falls back to <c>Intake:PublicBaseUrl</c>, then to the address the app listens on.</summary>
    [Url]
    public string? PortalUrl { get; set; }

    /// <summary>First retry delay of a mail the SMTP server did not take; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A mail not sent this long after it was queued is parked (an admin can send it again).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the sender looks for due mail when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often digests and alerts are checked.</summary>
    public TimeSpan ScheduleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Alert admins when no lead (test leads included) has arrived for this long; 0 turns the alert off.</summary>
    public TimeSpan IntakeSilenceAlert { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Alert admins when this many deliveries were refused within an hour; 0 turns the alert off.</summary>
    [Range(0, int.MaxValue)]
    public int RefusalBurstAlert { get; set; } = 500;

    /// <summary>Alert admins when mail has failed for this long (the alert goes out once the server takes mail again).</summary>
    public TimeSpan SmtpFailureAlert { get; set; } = TimeSpan.FromMinutes(30);
}
