using System.Security.Claims;
using LeadPortal.Accounts;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Admin;

public sealed class UserAdminTests : IAsyncLifetime
{
    private readonly LeadPortalFactory _app = new();
    private UserAdmin _users = null!;
    private ClaimsPrincipal _admin = null!;

    public async Task InitializeAsync()
    {
        _app.CreateClient();
        _users = _app.Services.GetRequiredService<UserAdmin>();
        var adminId = await _app.QueryAsync(db => db.Users.Where(u => u.Email == LeadPortalFactory.AdminEmail).Select(u => u.Id).SingleAsync());
        _admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, adminId), new Claim(ClaimTypes.Name, LeadPortalFactory.AdminEmail)], "test"));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<bool> PasswordWorksAsync(string email, string password)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
        var user = await signIn.UserManager.FindByEmailAsync(email);
        return user is not null && (await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false)).Succeeded;
    }

    private Task<string> IdOfAsync(string email) => _app.QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    [Fact]
    public async Task A_new_user_gets_a_temporary_password_that_must_be_changed()
    {
        var result = await _users.CreateAsync(_admin, "  new.sales@leadportal.test ", "New Sales", Roles.Sales);

        Assert.True(result.Succeeded, result.Error);
        Assert.True(await PasswordWorksAsync("new.sales@leadportal.test", result.TemporaryPassword!));
        var row = (await _users.ListAsync()).Single(u => u.Email == "new.sales@leadportal.test");
        Assert.Equal(Roles.Sales, row.Role);
        Assert.True(row.MustChangePassword);
        Assert.Equal("New Sales", row.DisplayName);
        Assert.Contains(await _app.QueryAsync(db => db.AuditLog.ToListAsync()), a => a.Action == AuditActions.UserCreated && a.Target == "new.sales@leadportal.test" && a.UserName == LeadPortalFactory.AdminEmail);
    }

    [Theory]
    [InlineData("not-an-email", "valid email")]
    [InlineData(LeadPortalFactory.AdminEmail, "already exists")]
    public async Task A_bad_or_taken_email_is_refused_with_a_reason(string email, string reason)
    {
        var result = await _users.CreateAsync(_admin, email, null, Roles.Sales);

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Error);
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_disabled_demoted_or_deleted()
    {
        var adminId = await IdOfAsync(LeadPortalFactory.AdminEmail);
        var other = await _users.CreateAsync(_admin, "second.admin@leadportal.test", null, Roles.Admin);
        var otherId = await IdOfAsync("second.admin@leadportal.test");
        var otherActor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, otherId)], "test"));
        Assert.True((await _users.SetDisabledAsync(_admin, otherId, true)).Succeeded);

        Assert.Contains("last active admin", (await _users.SetDisabledAsync(_admin, adminId, true)).Error);
        Assert.Contains("last active admin", (await _users.ChangeRoleAsync(_admin, adminId, Roles.Sales)).Error);
        Assert.Contains("last active admin", (await _users.DeleteAsync(otherActor, adminId)).Error);
        Assert.Equal(Roles.Admin, (await _users.ListAsync()).Single(u => u.Id == adminId).Role);

        // With a second active admin, the first may be demoted.
        Assert.True((await _users.SetDisabledAsync(_admin, otherId, false)).Succeeded);
        Assert.True((await _users.ChangeRoleAsync(otherActor, adminId, Roles.Sales)).Succeeded);
        Assert.True(other.Succeeded);
    }

    [Fact]
    public async Task An_admin_cannot_demote_or_disable_themselves_even_with_another_admin()
    {
        var adminId = await IdOfAsync(LeadPortalFactory.AdminEmail);
        Assert.True((await _users.CreateAsync(_admin, "third.admin@leadportal.test", null, Roles.Admin)).Succeeded);

        Assert.Contains("your own role", (await _users.ChangeRoleAsync(_admin, adminId, Roles.Sales)).Error);
        Assert.Contains("your own account", (await _users.SetDisabledAsync(_admin, adminId, true)).Error);
        Assert.Contains("your own account", (await _users.DeleteAsync(_admin, adminId)).Error);
        var me = (await _users.ListAsync()).Single(u => u.Id == adminId);
        Assert.Equal(Roles.Admin, me.Role);
        Assert.False(me.IsDisabled);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_until_enabled()
    {
        var created = await _users.CreateAsync(_admin, "off@leadportal.test", null, Roles.Sales);
        var id = await IdOfAsync("off@leadportal.test");

        await _users.SetDisabledAsync(_admin, id, true);
        var whileDisabled = await PasswordWorksAsync("off@leadportal.test", created.TemporaryPassword!);
        await _users.SetDisabledAsync(_admin, id, false);

        Assert.False(whileDisabled);
        Assert.True(await PasswordWorksAsync("off@leadportal.test", created.TemporaryPassword!));
    }

    [Fact]
    public async Task A_reset_gives_a_new_temporary_password_and_the_old_one_stops_working()
    {
        var created = await _users.CreateAsync(_admin, "reset@leadportal.test", null, Roles.Sales);
        var id = await IdOfAsync("reset@leadportal.test");

        var reset = await _users.ResetPasswordAsync(_admin, id);

        Assert.True(reset.Succeeded);
        Assert.NotEqual(created.TemporaryPassword, reset.TemporaryPassword);
        Assert.False(await PasswordWorksAsync("reset@leadportal.test", created.TemporaryPassword!));
        Assert.True(await PasswordWorksAsync("reset@leadportal.test", reset.TemporaryPassword!));
    }

    [Fact]
    public async Task Deleting_a_user_unassigns_their_leads_and_you_cannot_delete_yourself()
    {
        await _users.CreateAsync(_admin, "gone@leadportal.test", null, Roles.Sales);
        var id = await IdOfAsync("gone@leadportal.test");
        var leadId = long.Parse((await (await _app.CreateClient().PostLeadAsync(SampleLeads.Unique())).ReadReceiptAsync()).Id);
        await _app.Services.GetRequiredService<LeadPortal.Leads.LeadWorkflow>().AssignOwnerAsync(leadId, id, id);

        Assert.True((await _users.DeleteAsync(_admin, id)).Succeeded);
        Assert.Contains("your own account", (await _users.DeleteAsync(_admin, await IdOfAsync(LeadPortalFactory.AdminEmail))).Error);

        Assert.Null(await _app.QueryAsync(db => db.Leads.Where(l => l.Id == leadId).Select(l => l.OwnerId).SingleAsync()));
        Assert.Equal(1, await _app.QueryAsync(db => db.LeadActivities.CountAsync(a => a.LeadId == leadId)));
    }
}
