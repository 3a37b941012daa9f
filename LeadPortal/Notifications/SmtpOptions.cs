using System.ComponentModel.DataAnnotations;

namespace LeadPortal.Notifications;

/// <summary>The SMTP server mail goes through. No host (or no sender address) means e-mail is off.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>Auto (TLS on 465, STARTTLS when offered), None, StartTls (required) or SslOnConnect.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    public string? User { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>LeadPortal &lt;leads@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);
}

public enum SmtpSecurity
{
    Auto,
    None,
    StartTls,
    SslOnConnect,
}
