using System.Security.Claims;
using LeadPortal.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LeadPortal.Accounts;

public static class AppClaims
{
    public const string MustChangePassword = "leadportal:must_change_password";
    public const string DisplayName = "leadportal:display_name";

    /// <summary>The server-side session the principal was read from (added by <see cref="AuthSessionStore"/> on reading; the cookie itself carries only the framework's session id claim).</summary>
    public const string SessionId = "leadportal:session_id";

    public static bool MustChange(this ClaimsPrincipal user) => user.HasClaim(MustChangePassword, "true");

    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    public static string Label(this ClaimsPrincipal user) =>
        user.FindFirstValue(DisplayName) ?? user.Identity?.Name ?? "Signed in";
}

/// <summary>Puts the "must change password" flag and display name into the cookie.</summary>
internal sealed class AppClaimsPrincipalFactory(
    UserManager<AppUser> userManager, RoleManager<IdentityRole> roleManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AppClaims.DisplayName, user.Label));
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(AppClaims.MustChangePassword, "true"));
        }

        return identity;
    }
}

/// <summary>A disabled account cannot sign in, whatever its password; no account is ever locked out.</summary>
internal sealed class AppSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) => !user.IsDisabled && await base.CanSignInAsync(user);

    /// <summary>
    /// Identity's lockout let anyone lock any account by failing at it, and a locked account answered differently from an
    /// unknown email. <see cref="SignInThrottle"/> limits guessing by client instead; a lockout an earlier version left
    /// in the store is not honoured either.
    /// </summary>
    protected override Task<bool> IsLockedOut(AppUser user) => Task.FromResult(false);
}
