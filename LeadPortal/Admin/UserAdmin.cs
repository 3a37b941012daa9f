using System.Security.Claims;
using LeadPortal.Accounts;
using LeadPortal.Audit;
using LeadPortal.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Admin;

public sealed record UserRow(
    string Id, string Email, string? DisplayName, string Role, bool IsDisabled, bool IsLockedOut,
    bool MustChangePassword, DateTime CreatedAt, DateTime? LastSignInAt, DateTime? AwayUntil = null);

/// <summary>The outcome of an admin action on a user; a temporary password is shown once and never stored in clear.</summary>
public sealed record UserActionResult(bool Succeeded, string? Error = null, string? TemporaryPassword = null)
{
    public static UserActionResult Fail(string error) => new(false, error);
}

/// <summary>
/// Admin actions on accounts. Each runs in its own DI scope (UserManager holds a DbContext), never in the circuit's.
/// The last active admin can be neither disabled, demoted nor deleted, so the portal always has someone to run it.
/// </summary>
public sealed class UserAdmin(IServiceScopeFactory scopes, AuditLog audit, TimeProvider time, AuthSessionStore sessions)
{
    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadPortalDbContext>();
        var now = time.GetUtcNow();
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        return users.Select(u => new UserRow(
            u.Id, u.Email ?? u.UserName ?? "", u.DisplayName,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name).FirstOrDefault() ?? "(none)",
            u.IsDisabled, u.LockoutEnd > now, u.MustChangePassword, u.CreatedAt, u.LastSignInAt, u.AwayUntil > now.UtcDateTime ? u.AwayUntil : null)).ToList();
    }

    public async Task<UserActionResult> CreateAsync(ClaimsPrincipal actor, string email, string? displayName, string role)
    {
        email = email.Trim();
        if (!Roles.All.Contains(role))
        {
            return UserActionResult.Fail("Choose a role: Admin or Sales.");
        }

        if (!new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email) || email.Length == 0)
        {
            return UserActionResult.Fail("Enter a valid email address.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return UserActionResult.Fail($"A user with the email {email} already exists.");
        }

        var password = AccountsSetup.GeneratePassword();
        var user = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(),
            CreatedAt = time.GetUtcNow().UtcDateTime,
            MustChangePassword = true,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return UserActionResult.Fail(Describe(created));
        }

        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return UserActionResult.Fail(Describe(added));
        }

        await audit.RecordAsync(actor, AuditActions.UserCreated, email, $"Role {role}");
        return new UserActionResult(true, TemporaryPassword: password);
    }

    public Task<UserActionResult> ChangeRoleAsync(ClaimsPrincipal actor, string userId, string role) => UnderAdminRuleAsync(userId, async (users, user) =>
    {
        if (!Roles.All.Contains(role))
        {
            return (UserActionResult.Fail("Choose a role: Admin or Sales."), null);
        }

        var current = await users.GetRolesAsync(user);
        if (current.Count == 1 && current[0] == role)
        {
            return (new UserActionResult(true), null);
        }

        if (role != Roles.Admin && await IsLastActiveAdminAsync(users, user))
        {
            return (UserActionResult.Fail("This is the last active admin: make another user an admin first."), null);
        }

        if (user.Id == actor.UserId())
        {
            return (UserActionResult.Fail("You cannot change your own role: another admin can."), null);
        }

        var removed = await users.RemoveFromRolesAsync(user, current);
        var added = removed.Succeeded ? await users.AddToRoleAsync(user, role) : removed;
        if (!added.Succeeded)
        {
            return (UserActionResult.Fail(Describe(added)), null);
        }

        // A new security stamp makes open sessions pick the new role up (or end) within a minute.
        await users.UpdateSecurityStampAsync(user);
        var email = user.Email;
        return (new UserActionResult(true), () => audit.RecordAsync(actor, AuditActions.UserRoleChanged, email, $"{string.Join(",", current)} → {role}"));
    });

    public Task<UserActionResult> SetDisabledAsync(ClaimsPrincipal actor, string userId, bool disabled) => UnderAdminRuleAsync(userId, async (users, user) =>
    {
        if (user.IsDisabled == disabled)
        {
            return (new UserActionResult(true), null);
        }

        if (disabled && await IsLastActiveAdminAsync(users, user))
        {
            return (UserActionResult.Fail("This is the last active admin and cannot be disabled."), null);
        }

        if (disabled && user.Id == actor.UserId())
        {
            return (UserActionResult.Fail("You cannot disable your own account."), null);
        }

        user.IsDisabled = disabled;
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded)
        {
            return (UserActionResult.Fail(Describe(updated)), null);
        }

        await users.UpdateSecurityStampAsync(user);
        var (id, email) = (user.Id, user.Email);
        return (new UserActionResult(true), async () =>
        {
            if (disabled)
            {
                // Signed out everywhere now, not at the next security stamp check.
                await sessions.RemoveAllAsync(id);
            }

            await audit.RecordAsync(actor, disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, email);
        });
    });

    public Task<UserActionResult> ResetPasswordAsync(ClaimsPrincipal actor, string userId) => WithUserAsync(userId, async (users, user) =>
    {
        var password = AccountsSetup.GeneratePassword();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, password);
        if (!reset.Succeeded)
        {
            return UserActionResult.Fail(Describe(reset));
        }

        user.MustChangePassword = true;
        await users.UpdateAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        // Whoever was signed in with the old password is signed out now; the user signs in with the temporary one.
        await sessions.RemoveAllAsync(user.Id);
        await audit.RecordAsync(actor, AuditActions.UserPasswordReset, user.Email);
        return new UserActionResult(true, TemporaryPassword: password);
    });

    public Task<UserActionResult> DeleteAsync(ClaimsPrincipal actor, string userId) => UnderAdminRuleAsync(userId, async (users, user) =>
    {
        if (user.Id == actor.UserId())
        {
            return (UserActionResult.Fail("You cannot delete your own account."), null);
        }

        if (await IsLastActiveAdminAsync(users, user))
        {
            return (UserActionResult.Fail("This is the last active admin and cannot be deleted."), null);
        }

        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
        {
            return (UserActionResult.Fail(Describe(deleted)), null);
        }

        var email = user.Email;
        return (new UserActionResult(true), () => audit.RecordAsync(actor, AuditActions.UserDeleted, email));
    });

    private async Task<UserActionResult> WithUserAsync(string userId, Func<UserManager<AppUser>, AppUser, Task<UserActionResult>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        return user is null ? UserActionResult.Fail("That user no longer exists.") : await action(users, user);
    }

    /// <summary>
    /// An action that could leave no active admin: checked and done in one transaction that holds the last-admin rule's
    /// lock (<see cref="StoreDialect.LockForRuleAsync"/>), so two admins demoting each other at the same moment, on one
    /// instance or two, leave one admin. What touches other tables (audit, sessions) runs after the commit.
    /// </summary>
    private async Task<UserActionResult> UnderAdminRuleAsync(
        string userId, Func<UserManager<AppUser>, AppUser, Task<(UserActionResult Result, Func<Task>? AfterCommit)>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeadPortalDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Dialect.LockForRuleAsync(db, StoreRule.LastAdmin);
        // Read after the lock: the state the previous holder committed.
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserActionResult.Fail("That user no longer exists.");
        }

        var (result, afterCommit) = await action(users, user);
        if (!result.Succeeded)
        {
            await transaction.RollbackAsync();
            return result;
        }

        await transaction.CommitAsync();
        if (afterCommit is not null)
        {
            await afterCommit();
        }

        return result;
    }

    private static async Task<bool> IsLastActiveAdminAsync(UserManager<AppUser> users, AppUser user)
    {
        if (user.IsDisabled || !await users.IsInRoleAsync(user, Roles.Admin))
        {
            return false;
        }

        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        return admins.Count(a => !a.IsDisabled) <= 1;
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
