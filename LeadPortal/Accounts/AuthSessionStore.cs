using System.Security.Claims;
using System.Security.Cryptography;
using LeadPortal.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Accounts;

/// <summary>
/// Signed-in sessions kept in the database (the application cookie's <see cref="CookieAuthenticationOptions.SessionStore"/>):
/// the cookie holds only a random session id, the ticket lives in <c>AuthSessions</c>. Signing out, disabling a user or
/// resetting their password deletes rows, and a copy of the cookie is refused at its next request, on every instance.
/// </summary>
/// <remarks>
/// Tickets are stored as they are, not encrypted: they hold the user's id, name, roles and security stamp, all of which
/// sit in the Identity tables of the same database anyway. Every authenticated request reads its row by primary key.
/// </remarks>
public sealed class AuthSessionStore(IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time) : ITicketStore
{
    /// <summary>How many expired sessions one sign-in deletes: each sign-in adds one row, so this keeps well ahead.</summary>
    public const int ExpiredBatch = 100;

    /// <summary>A ticket without an expiry (the cookie handler always sets one) is kept this long.</summary>
    private static readonly TimeSpan FallbackLifetime = TimeSpan.FromDays(1);

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync();
        db.AuthSessions.Add(new AuthSession
        {
            Id = id,
            UserId = ticket.Principal.UserId(),
            Ticket = TicketSerializer.Default.Serialize(ticket),
            CreatedAt = now,
            ExpiresAt = ExpiresAt(ticket, now),
        });
        await db.SaveChangesAsync();
        await RemoveExpiredAsync(db, now);
        return id;
    }

    /// <summary>
    /// Sliding renewal, a refreshed principal, or a sign-in over a session this browser already has. Only an existing row
    /// of the same user is updated: a session ended meanwhile stays ended, and a different user signing in over another
    /// user's session ends that session instead of taking it over (whoever held its cookie would otherwise become them;
    /// the new user is asked to sign in once more).
    /// </summary>
    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var userId = ticket.Principal.UserId();
        var serialized = TicketSerializer.Default.Serialize(ticket);
        var expiresAt = ExpiresAt(ticket, now);
        await using var db = await dbFactory.CreateDbContextAsync();
        var renewed = await db.AuthSessions.Where(s => s.Id == key && s.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, serialized).SetProperty(x => x.ExpiresAt, expiresAt));
        if (renewed == 0)
        {
            await db.AuthSessions.Where(s => s.Id == key).ExecuteDeleteAsync();
        }
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.AuthSessions.AsNoTracking()
            .Where(s => s.Id == key && s.ExpiresAt > now)
            .Select(s => s.Ticket)
            .FirstOrDefaultAsync(cancellationToken);
        var ticket = stored is null ? null : TicketSerializer.Default.Deserialize(stored);
        if (ticket?.Principal.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == AppClaims.SessionId))
        {
            // Lets an open circuit ask whether its session still exists (see IsActiveAsync).
            identity.AddClaim(new Claim(AppClaims.SessionId, key));
        }

        return ticket;
    }

    /// <remarks>Not cancelled with the request: a sign-out must not be undone by the browser hanging up.</remarks>
    public async Task RemoveAsync(string key)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.AuthSessions.Where(s => s.Id == key).ExecuteDeleteAsync();
    }

    /// <summary>Ends every session of a user (disabled, or their password reset by an admin).</summary>
    public async Task<int> RemoveAllAsync(string userId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.AuthSessions.Where(s => s.UserId == userId).ExecuteDeleteAsync();
    }

    /// <summary>
    /// False when the session this principal came from has ended. A principal without a session id did not come through
    /// this store (nothing in the app makes one); for it only the security stamp check applies, as before sessions were kept.
    /// </summary>
    public async Task<bool> IsActiveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var key = principal.FindFirstValue(AppClaims.SessionId);
        if (key is null)
        {
            return true;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AuthSessions.AnyAsync(s => s.Id == key && s.ExpiresAt > now, cancellationToken);
    }

    private static async Task RemoveExpiredAsync(LeadPortalDbContext db, DateTime now) =>
        await db.AuthSessions.Where(s => s.ExpiresAt <= now).OrderBy(s => s.ExpiresAt).Take(ExpiredBatch).ExecuteDeleteAsync();

    private static DateTime ExpiresAt(AuthenticationTicket ticket, DateTime now) =>
        ticket.Properties.ExpiresUtc?.UtcDateTime ?? now + FallbackLifetime;
}
