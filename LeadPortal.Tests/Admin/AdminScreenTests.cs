using Bunit;
using LeadPortal.Accounts;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Admin;

/// <summary>On SQLite; <see cref="UserListPostgresTests"/> runs the same on PostgreSQL.</summary>
public class UserListTests : AppBunitBase
{
    public UserListTests() : base(StoreProvider.Sqlite)
    {
    }

    protected UserListTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public void Lists_users_with_role_and_status()
    {
        var cut = RenderPage<UserList>();

        cut.WaitForAssertion(() =>
        {
            var table = cut.Find("#user-table");
            Assert.Contains(LeadPortalFactory.AdminEmail, table.TextContent);
            Assert.Contains("Active", table.TextContent);
        });
    }

    [StoreFact]
    public async Task Adding_a_user_shows_the_temporary_password_once()
    {
        var cut = RenderPage<UserList>();
        // Acting only once the users are listed: the page renders again when they are (a click found before would be stale).
        cut.WaitForAssertion(() => Assert.Contains(LeadPortalFactory.AdminEmail, cut.Find("#user-table").TextContent));

        await cut.InvokeAsync(() => cut.FindComponents<MudBlazor.MudTextField<string>>()[0].Instance.ValueChanged.InvokeAsync("bunit.sales@leadportal.test"));
        await cut.InvokeAsync(() => cut.Find("button#create-user").Click());

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("bunit.sales@leadportal.test", cut.Find("#temporary-password").TextContent);
            Assert.True(cut.Find("#temporary-password-value").TextContent.Length >= 20);
            Assert.Contains("bunit.sales@leadportal.test", cut.Find("#user-table").TextContent);
        });
    }

    [StoreFact]
    public async Task Role_changes_and_disabling_ask_first_and_your_own_row_offers_neither_nor_delete()
    {
        var users = App.Services.GetRequiredService<UserAdmin>();
        var admin = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, AdminId)], "test"));
        const string kim = "kim.sales@leadportal.test";
        Assert.True((await users.CreateAsync(admin, kim, null, Roles.Sales)).Succeeded);
        Render<MudBlazor.MudPopoverProvider>();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = Render<UserList>();
        cut.WaitForAssertion(() => Assert.Contains(kim, cut.Find("#user-table").TextContent));

        AngleSharp.Dom.IElement Row(string email) => cut.FindAll("#user-table tbody tr").Single(r => r.TextContent.Contains(email, StringComparison.Ordinal));
        Assert.Empty(Row(LeadPortalFactory.AdminEmail).QuerySelectorAll(".user-delete, .user-disable"));
        Assert.Contains("(you)", Row(LeadPortalFactory.AdminEmail).TextContent);
        Assert.Single(Row(kim).QuerySelectorAll(".user-delete"));
        async Task<UserRow> KimAsync() => (await users.ListAsync()).Single(u => u.Email == kim);

        // A role change asks; Cancel keeps the role.
        var select = cut.FindComponents<MudBlazor.MudSelect<string>>()
            .Single(c => c.Instance.UserAttributes.TryGetValue("aria-label", out var label) && (string?)label == $"Role of {kim}");
        var pending = cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(Roles.Admin));
        dialogs.WaitForAssertion(() => Assert.Contains($"Make {kim} an admin?", dialogs.Markup));
        await cut.InvokeAsync(() => dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Cancel").Click());
        await pending;
        Assert.Equal(Roles.Sales, (await KimAsync()).Role);

        pending = cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(Roles.Admin));
        dialogs.WaitForAssertion(() => Assert.Contains($"Make {kim} an admin?", dialogs.Markup));
        await cut.InvokeAsync(() => dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Make admin").Click());
        await pending;
        Assert.Equal(Roles.Admin, (await KimAsync()).Role);

        // Disabling asks too.
        cut.WaitForAssertion(() => Assert.Single(Row(kim).QuerySelectorAll(".user-disable")));
        await cut.InvokeAsync(() => Row(kim).QuerySelector(".user-disable")!.Click());
        dialogs.WaitForAssertion(() => Assert.Contains($"Disable {kim}?", dialogs.Markup));
        await cut.InvokeAsync(() => dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Disable").Click());
        cut.WaitForAssertion(() => Assert.Contains("Disabled", Row(kim).TextContent));
        Assert.True((await KimAsync()).IsDisabled);
    }

    [StoreFact]
    public async Task A_bad_email_gets_a_readable_message()
    {
        var cut = RenderPage<UserList>();
        // Acting only once the users are listed: the page renders again when they are (a click found before would be stale).
        cut.WaitForAssertion(() => Assert.Contains(LeadPortalFactory.AdminEmail, cut.Find("#user-table").TextContent));

        await cut.InvokeAsync(() => cut.FindComponents<MudBlazor.MudTextField<string>>()[0].Instance.ValueChanged.InvokeAsync("not an email"));
        await cut.InvokeAsync(() => cut.Find("button#create-user").Click());

        cut.WaitForAssertion(() => Assert.Contains("Enter a valid email address.", cut.Find("#create-user-error").TextContent));
    }
}

[PostgresStore]
public sealed class UserListPostgresTests() : UserListTests(StoreProvider.Postgres);

/// <summary>On SQLite; <see cref="EndpointSetupPostgresTests"/> runs the same on PostgreSQL.</summary>
public class EndpointSetupTests : AppBunitBase
{
    public EndpointSetupTests() : base(StoreProvider.Sqlite)
    {
    }

    protected EndpointSetupTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public void Shows_keys_and_whether_leads_arrive()
    {
        var cut = RenderPage<EndpointSetup>();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Bootstrap key", cut.Find("#key-table").TextContent);
            Assert.Equal("never", cut.Find("#last-lead").TextContent);
        });
    }

    [StoreFact]
    public async Task Creating_a_key_shows_its_url_once_and_the_key_works()
    {
        var cut = RenderPage<EndpointSetup>();
        cut.WaitForAssertion(() => cut.Find("#key-table"));

        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudTextField<string>>().Instance.ValueChanged.InvokeAsync("Rotation 2026"));
        await cut.InvokeAsync(() => cut.Find("button#create-key").Click());

        string url = "";
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Rotation 2026", cut.Find("#new-key-url").TextContent);
            url = cut.Find("#new-key-url-value").TextContent;
        });
        Assert.StartsWith("http://localhost/api/leads?key=lpk_", url);
        var key = Uri.UnescapeDataString(url[(url.IndexOf("key=", StringComparison.Ordinal) + 4)..]);
        Assert.NotNull(await App.Services.GetRequiredService<IntakeKeyStore>().ValidateAsync(key));
        Assert.Contains(await App.QueryAsync(db => db.AuditLog.ToListAsync()), a => a.Action == AuditActions.KeyCreated && a.Target == "Rotation 2026");
    }
}

[PostgresStore]
public sealed class EndpointSetupPostgresTests() : EndpointSetupTests(StoreProvider.Postgres);

/// <summary>On SQLite; <see cref="DeliveryLogPostgresTests"/> runs the same on PostgreSQL.</summary>
public class DeliveryLogTests : AppBunitBase
{
    public DeliveryLogTests() : base(StoreProvider.Sqlite)
    {
    }

    protected DeliveryLogTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task Rejected_requests_show_their_reason_and_accepted_ones_link_to_the_lead()
    {
        var client = App.CreateClient();
        await client.PostLeadAsync("{\"UserDetails\":\"x\"}");
        var id = (await (await client.PostLeadAsync(SampleLeads.Unique())).ReadReceiptAsync()).Id;

        var cut = RenderPage<DeliveryLog>();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("tr.delivery-row");
            Assert.Equal(2, rows.Count);
            Assert.Contains($"Lead {id}", rows[0].TextContent);
            Assert.Contains("UserDetails must be an object", rows[1].TextContent);
        });
    }

    [StoreFact]
    public void An_empty_log_says_where_deliveries_will_appear()
    {
        var cut = RenderPage<DeliveryLog>();

        cut.WaitForAssertion(() => Assert.Contains("No requests match", cut.Find("#delivery-empty").TextContent));
    }
}

[PostgresStore]
public sealed class DeliveryLogPostgresTests() : DeliveryLogTests(StoreProvider.Postgres);

/// <summary>On SQLite; <see cref="ReprocessPagePostgresTests"/> runs the same on PostgreSQL.</summary>
public class ReprocessPageTests : AppBunitBase
{
    public ReprocessPageTests() : base(StoreProvider.Sqlite)
    {
    }

    protected ReprocessPageTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task Starting_a_run_shows_its_progress_to_the_end()
    {
        await App.CreateClient().PostLeadAsync(SampleLeads.Unique());
        Render<MudBlazor.MudPopoverProvider>();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = Render<Reprocess>();

        var job = App.Services.GetRequiredService<ReprocessJob>();
        // Enabled once the page has read the last run from the store.
        cut.WaitForAssertion(() => Assert.False(cut.Find("button#start-reprocess").HasAttribute("disabled")));

        // It asks first, naming how many leads; Cancel starts nothing.
        await cut.InvokeAsync(() => cut.Find("button#start-reprocess").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Reprocess all 1 leads?", dialogs.Markup));
        await cut.InvokeAsync(() => dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Cancel").Click());
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Reprocess all 1 leads?", dialogs.Markup));
        Assert.Null(job.Current);
        Assert.Equal(ReprocessProgress.None, await job.GetProgressAsync());

        await cut.InvokeAsync(() => cut.Find("button#start-reprocess").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Reprocess all 1 leads?", dialogs.Markup));
        await cut.InvokeAsync(() => dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Reprocess").Click());
        cut.WaitForState(() => job.Current is not null);
        await job.Current!;

        cut.WaitForAssertion(() => Assert.Contains("Done: 1 leads read", cut.Find("#reprocess-status").TextContent));
    }
}

[PostgresStore]
public sealed class ReprocessPagePostgresTests() : ReprocessPageTests(StoreProvider.Postgres);

/// <summary>On SQLite; <see cref="AuditPagePostgresTests"/> runs the same on PostgreSQL.</summary>
public class AuditPageTests : AppBunitBase
{
    public AuditPageTests() : base(StoreProvider.Sqlite)
    {
    }

    protected AuditPageTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task Lists_admin_actions_with_who()
    {
        await App.Services.GetRequiredService<IntakeKeyStore>().CreateAsync("Audited key");
        await App.Services.GetRequiredService<AuditLog>().RecordAsync(
            new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new(System.Security.Claims.ClaimTypes.Name, "kim@leadportal.test")], "t")),
            AuditActions.KeyCreated, "Audited key");

        var cut = RenderPage<AuditPage>();

        cut.WaitForAssertion(() =>
        {
            var grid = cut.Find("#audit-grid");
            Assert.Contains("key.created", grid.TextContent);
            Assert.Contains("kim@leadportal.test", grid.TextContent);
            Assert.Contains("Audited key", grid.TextContent);
        });
    }
}

[PostgresStore]
public sealed class AuditPagePostgresTests() : AuditPageTests(StoreProvider.Postgres);
