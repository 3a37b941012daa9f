using LeadPortal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Notifications;

/// <summary>
/// One-click unsubscribe (RFC 8058) for the mails a user chose (new leads, assignments, the digest): each such mail names
/// a link that carries the user's id and a token only this app can make, and a POST to it turns those mails off, with no
/// sign-in, as a mail provider's "Unsubscribe" button does. A GET (a person following the link) goes to the settings page.
/// Alerts and test mail are not offered it: they are not a user's choice.
/// </summary>
public sealed class Unsubscribe(IDataProtectionProvider dataProtection, PortalLinks links, IDbContextFactory<LeadPortalDbContext> dbFactory)
{
    public const string Path = "/api/notifications/unsubscribe";
    public const string SettingsPage = "/settings/notifications";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("LeadPortal.Notifications.Unsubscribe.v1");

    /// <summary>Whether a mail of this kind is one the user chose, and so carries the unsubscribe headers.</summary>
    public static bool Offered(MailKind kind, string? userId) => userId is not null && kind is MailKind.NewLead or MailKind.Assigned or MailKind.Digest;

    public string LinkFor(string userId) =>
        $"{links.Page(Path)}?u={Uri.EscapeDataString(userId)}&t={Uri.EscapeDataString(_protector.Protect(userId))}";

    /// <summary>Turns the user's mails off; false when the token is not this app's for that user (or the user is gone).</summary>
    public async Task<bool> ApplyAsync(string? userId, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token) || !Matches(userId, token))
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            return false;
        }

        var row = await db.NotificationPreferences.SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        if (row is null)
        {
            db.NotificationPreferences.Add(row = new NotificationPreference { UserId = userId });
        }

        row.NewLeads = NewLeadMail.Off;
        row.WhenAssigned = false;
        row.TaskReminders = false;
        row.DailyDigest = false;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private bool Matches(string userId, string token)
    {
        try
        {
            return _protector.Unprotect(token) == userId;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}

public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous and without antiforgery by design: the mail provider posts it, and the token is the credential.
        app.MapPost(Unsubscribe.Path, UnsubscribeAsync).AllowAnonymous().DisableAntiforgery().WithName("Unsubscribe").ExcludeFromDescription();
        app.MapGet(Unsubscribe.Path, () => TypedResults.Redirect(Unsubscribe.SettingsPage)).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    public static async Task<IResult> UnsubscribeAsync(HttpContext context, Unsubscribe unsubscribe)
    {
        if (!await unsubscribe.ApplyAsync(context.Request.Query["u"], context.Request.Query["t"], context.RequestAborted))
        {
            return TypedResults.Problem(title: "Not an unsubscribe link", statusCode: StatusCodes.Status400BadRequest,
                detail: "This link is not one LeadPortal made, or its user no longer exists. Change what you receive under Notifications in LeadPortal.");
        }

        return TypedResults.Text("You will get no more LeadPortal e-mails about new leads, assignments or digests. Turn them back on under Notifications in LeadPortal.");
    }
}
