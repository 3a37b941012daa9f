using LeadPortal.Background;
using LeadPortal.Data;
using LeadPortal.Outbox;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LeadPortal.Notifications;

/// <summary>How mail has gone lately, for the admin page and the SMTP alert.</summary>
public sealed record MailHealth(DateTime? LastSentAt, DateTime? FailingSince, string? LastError);

/// <summary>
/// Sends the mail outbox through SMTP: due mails claimed one by one (so instances sharing a store never send the same
/// mail at once), one connection per round, retried with exponential backoff, parked after
/// <see cref="NotificationOptions.GiveUpAfter"/>. Each mail carries a Message-ID made from its row, so the rare resend
/// after a crash between the server's "250 OK" and our update is recognisable as the same message.
/// </summary>
public sealed class MailSender(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    IOptions<SmtpOptions> smtpOptions,
    IOptions<NotificationOptions> options,
    OutboxSignals signals,
    InstanceIdentity instance,
    Unsubscribe unsubscribe,
    TimeProvider time,
    ILogger<MailSender> logger) : BackgroundService
{
    public const int BatchSize = 20;

    private static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(5);

    private volatile MailHealth _health = new(null, null, null);

    public MailHealth Health => _health;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!smtpOptions.Value.IsConfigured)
        {
            logger.LogInformation("No SMTP server is configured (Smtp:Host and Smtp:From): e-mail notifications are off.");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SendDueAsync(stoppingToken) < BatchSize)
                {
                    await signals.Mail.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The mail sender failed; mail stays queued.");
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Sends the mails due now; returns how many were tried.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var due = await ClaimedQueue.Due(db.MailOutbox.AsNoTracking(), now)
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var claimed = new List<OutgoingMail>();
        foreach (var mail in due)
        {
            if (await ClaimedQueue.TryClaimAsync(db.MailOutbox, mail.Id, instance.Name, now, now + ClaimDuration, cancellationToken))
            {
                claimed.Add(mail);
            }
        }

        if (claimed.Count == 0)
        {
            return 0;
        }

        using var client = new SmtpClient { Timeout = smtpOptions.Value.TimeoutSeconds * 1000 };
        Exception? connectError = null;
        try
        {
            await ConnectAsync(client, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            connectError = ex;
        }

        foreach (var mail in claimed)
        {
            var error = connectError;
            if (error is null)
            {
                try
                {
                    await client.SendAsync(ToMime(mail), cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    error = ex;
                }
            }

            await RecordAsync(db, mail, error, cancellationToken);
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        return claimed.Count;
    }

    /// <summary>Sends one mail now, outside the outbox (the admin page's test); throws with the server's answer when it fails.</summary>
    public async Task SendNowAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        using var client = new SmtpClient { Timeout = smtpOptions.Value.TimeoutSeconds * 1000 };
        await ConnectAsync(client, cancellationToken);
        await client.SendAsync(ToMime(mail), cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    private async Task RecordAsync(LeadPortalDbContext db, OutgoingMail mail, Exception? error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (error is null)
        {
            _health = new MailHealth(now, null, null);
            await db.MailOutbox.Where(m => m.Id == mail.Id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, OutboxStatus.Done)
                .SetProperty(m => m.SentAt, now)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                .SetProperty(m => m.LastError, (string?)null)
                .SetProperty(m => m.ClaimedBy, (string?)null)
                .SetProperty(m => m.ClaimedUntil, (DateTime?)null), CancellationToken.None);
            return;
        }

        var reason = Describe(error);
        _health = _health with { FailingSince = _health.FailingSince ?? now, LastError = reason };
        var attempts = mail.Attempts + 1;
        // A bad address or a mailbox the server refuses for good will not get better by waiting.
        var hopeless = error is ParseException
            || (error is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } refused && (int)refused.StatusCode >= 500);
        var (park, next, _) = ClaimedQueue.Failed(mail, attempts, now,
            new RetryPolicy(options.Value.RetryBaseDelay, options.Value.MaxRetryDelay, options.Value.GiveUpAfter), hopeless);
        logger.LogWarning("Mail {MailId} ({Kind}) was not sent (attempt {Attempts}): {Reason}{Parked}",
            mail.Id, mail.Kind, attempts, reason, park ? "; parked" : "");
        await db.MailOutbox.Where(m => m.Id == mail.Id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, park ? OutboxStatus.Parked : OutboxStatus.Pending)
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.NextAttemptAt, next)
            .SetProperty(m => m.LastError, reason)
            .SetProperty(m => m.ClaimedBy, (string?)null)
            .SetProperty(m => m.ClaimedUntil, (DateTime?)null), CancellationToken.None);
    }

    private async Task ConnectAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        var smtp = smtpOptions.Value;
        var security = smtp.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        };
        await client.ConnectAsync(smtp.Host!, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.User))
        {
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", cancellationToken);
        }
    }

    private MimeMessage ToMime(OutgoingMail mail)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtpOptions.Value.From!));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.MessageId = $"leadportal-mail-{mail.Id}-{mail.CreatedAt.Ticks}@{DomainOf(smtpOptions.Value.From!)}";
        message.Headers.Add("Auto-Submitted", "auto-generated");
        if (Unsubscribe.Offered(mail.Kind, mail.UserId))
        {
            // RFC 2369 and RFC 8058: mail clients show an Unsubscribe button that posts to the link.
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribe.LinkFor(mail.UserId!)}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        message.Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody();
        return message;
    }

    private static string DomainOf(string from) =>
        MailboxAddress.TryParse(from, out var address) && address.Domain is { Length: > 0 } domain ? domain : "leadportal.local";

    private static string Describe(Exception error) => error switch
    {
        SmtpCommandException command => $"The SMTP server refused it: {(int)command.StatusCode} {command.Message}",
        SmtpProtocolException protocol => $"SMTP protocol error: {protocol.Message}",
        AuthenticationException auth => $"SMTP sign-in failed: {auth.Message}",
        System.Net.Sockets.SocketException socket => $"Could not reach the SMTP server: {socket.Message}",
        ParseException parse => $"An address is not valid: {parse.Message}",
        _ => error.Message,
    };
}
