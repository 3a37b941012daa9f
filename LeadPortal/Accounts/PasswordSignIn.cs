using LeadPortal.Data;
using LeadPortal.Intake;
using Microsoft.AspNetCore.Identity;

namespace LeadPortal.Accounts;

/// <summary>What became of a sign-in: signed in, refused as wrong, disabled, or refused unheard (too many failures).</summary>
public enum SignInOutcome
{
    SignedIn,

    /// <summary>An unknown email or a wrong password: told apart neither by the answer nor by its cost.</summary>
    Failed,

    /// <summary>The right password for a disabled account (only someone who knows the password learns this).</summary>
    Disabled,

    /// <summary>Too many failures from this client (for this email): no password was checked.</summary>
    Throttled,
}

/// <summary>The sign-in page's decision, out of the page: the throttle, the password check, and what the answer may tell.</summary>
public sealed class PasswordSignIn(
    SignInManager<AppUser> signInManager, UserManager<AppUser> users, IPasswordHasher<AppUser> hasher, SignInThrottle throttle, TimeProvider time)
{
    /// <param name="context">The sign-in request: the client is its address after forwarded headers.</param>
    public async Task<(SignInOutcome Outcome, AppUser? User, TimeSpan RetryAfter)> SignInAsync(HttpContext context, string email, string password, bool remember)
    {
        var client = RefusalLog.ClientOf(context.Connection.RemoteIpAddress);
        var attempt = throttle.TryBegin(client, users.NormalizeEmail(email.Trim()) ?? "", out var retryAfter);
        if (attempt is null)
        {
            return (SignInOutcome.Throttled, null, retryAfter);
        }

        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            UnknownUserPassword.Verify(hasher, password);
            return (SignInOutcome.Failed, null, TimeSpan.Zero);
        }

        // Identity's own lockout is off (AppSignInManager): the throttle counts failures instead, by client.
        var result = await signInManager.PasswordSignInAsync(user, password, remember, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            attempt.Succeeded();
            user.LastSignInAt = time.GetUtcNow().UtcDateTime;
            await users.UpdateAsync(user);
            return (SignInOutcome.SignedIn, user, TimeSpan.Zero);
        }

        // A disabled account is turned away before its password is checked: checked here, so the answer costs the same.
        if (result.IsNotAllowed && await users.CheckPasswordAsync(user, password))
        {
            return (SignInOutcome.Disabled, user, TimeSpan.Zero);
        }

        return (SignInOutcome.Failed, null, TimeSpan.Zero);
    }

    /// <summary>"try again in 15 minutes": whole minutes, rounded up, at least one.</summary>
    public static string Minutes(TimeSpan retryAfter)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes));
        return minutes == 1 ? "1 minute" : $"{minutes} minutes";
    }
}
