using System.Security.Claims;
using System.Security.Cryptography;
using LeadPortal.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadPortal.Accounts;

public static class AccountsSetup
{
    public const string LoginPath = "/account/login";
    public const string ChangePasswordPath = "/account/change-password";

    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BootstrapOptions>().Bind(builder.Configuration.GetSection(BootstrapOptions.Section));

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        services.AddHttpContextAccessor();

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = LoginPath;
            cookie.LogoutPath = "/account/logout";
            cookie.AccessDeniedPath = "/account/access-denied";
            cookie.Cookie.Name = "LeadPortal.Auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            // An API call is answered with a status code, not a redirect to the sign-in page.
            cookie.Events.OnRedirectToLogin = context => ApiStatusOr(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => ApiStatusOr(context, StatusCodes.Status403Forbidden);
            // Signing in on the sign-in page, the cookie handler would send the browser to the page's ReturnUrl query
            // value as it was decoded: outside ASCII Kestrel refuses that Location header and the sign-in was a 500.
            // The page sends the browser on itself (through LocalUrl, to the change-password page first when needed).
            cookie.Events.OnRedirectToReturnUrl = _ => Task.CompletedTask;
        });

        // Sessions live in the database, so signing out ends them for every copy of the cookie (see AuthSessionStore).
        services.AddSingleton<AuthSessionStore>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .PostConfigure<AuthSessionStore>((cookie, store) => cookie.SessionStore = store);

        // A disabled or demoted user loses access within a minute, not at cookie expiry.
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            o.OnRefreshingPrincipal = KeepSessionId;
        });

        services.AddIdentityCore<AppUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                // No lockout: it let anyone lock any account out. Guessing is limited by client instead (SignInThrottle).
                options.Lockout.AllowedForNewUsers = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<LeadPortalDbContext>()
            .AddSignInManager<AppSignInManager>()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

        services.AddOptions<SignInThrottleOptions>()
            .Bind(builder.Configuration.GetSection(SignInThrottleOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<PasswordSignIn>();

        // Every endpoint needs a signed-in user unless it says otherwise (intake, health, sign-in, static files).
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        // Cookies must survive restarts and reach every instance: the key ring lives in the database (see KeyRing).
        builder.AddKeyRing();
        return builder;
    }

    /// <summary>Creates the roles, and the first admin when there is no user at all.</summary>
    public static async Task EnsureAccountsAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create role {role}");
            }
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.Users.AnyAsync())
        {
            return;
        }

        var options = scope.ServiceProvider.GetRequiredService<IOptions<BootstrapOptions>>().Value;
        var email = string.IsNullOrWhiteSpace(options.AdminEmail) ? "admin@leadportal.local" : options.AdminEmail.Trim();
        var generated = string.IsNullOrWhiteSpace(options.AdminPassword);
        var password = generated ? GeneratePassword() : options.AdminPassword!;
        var admin = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = "Administrator",
            CreatedAt = DateTime.UtcNow,
            MustChangePassword = generated,
        };
        Check(await users.CreateAsync(admin, password), "create the first admin (check Bootstrap:AdminPassword against the password rules)");
        Check(await users.AddToRoleAsync(admin, Roles.Admin), "make the first user an admin");

        if (generated)
        {
            // Straight to the console, never through ILogger: log sinks must not receive a password.
            Console.Out.WriteLine($"""

                ==== LeadPortal first admin (shown once) ====
                  Email:    {email}
                  Password: {password}
                You will be asked to choose a new password at first sign-in.
                =============================================

                """);
        }
    }

    /// <summary>A password that meets every rule: 20 random characters from a set without look-alikes, plus one of each class.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 20);
        return new string(chars) + "-Aa7";
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account");
        // The handler checks the antiforgery token itself, so a missing or stale token is a 400 that says so (the
        // framework's check throws when the form is read, a 500) and never signs anyone out.
        group.MapPost("/logout", SignOutAsync).WithName("SignOut").DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignOutAsync(
        HttpContext context, IAntiforgery antiforgery, SignInManager<AppUser> signInManager)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem(
                title: "Sign-out form expired",
                detail: "The sign-out request did not carry a valid antiforgery token, so you are still signed in. Reload the page and sign out again.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        await signInManager.SignOutAsync();
        return TypedResults.LocalRedirect(LoginPath);
    }

    /// <summary>A user with a generated or reset password goes to the change-password page before anything else.</summary>
    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (context.User.MustChange()
            && HttpMethods.IsGet(context.Request.Method)
            && !path.StartsWithSegments("/account")
            && !path.StartsWithSegments("/_framework")
            && !path.StartsWithSegments("/_content")
            && !path.StartsWithSegments("/_blazor")
            && !path.StartsWithSegments("/api")
            && !Path.HasExtension(path.Value))
        {
            context.Response.Redirect($"{ChangePasswordPath}?returnUrl={Uri.EscapeDataString(path + context.Request.QueryString)}");
            return;
        }

        await next();
    });

    /// <summary>The principal rebuilt by the security stamp check keeps the session id an open circuit re-checks.</summary>
    private static Task KeepSessionId(SecurityStampRefreshingPrincipalContext context)
    {
        var sessionId = context.CurrentPrincipal?.FindFirst(AppClaims.SessionId);
        if (sessionId is not null && context.NewPrincipal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == AppClaims.SessionId))
        {
            identity.AddClaim(new Claim(AppClaims.SessionId, sessionId.Value));
        }

        return Task.CompletedTask;
    }

    private static Task ApiStatusOr(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
