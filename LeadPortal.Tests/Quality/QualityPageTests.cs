using Bunit;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Quality;
using LeadPortal.Shared;
using LeadPortal.Tests.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Quality;

/// <summary>Admin › Lead quality on SQLite; <see cref="QualityPagePostgresTests"/> runs the same on PostgreSQL.</summary>
public class QualityPageTests : AppBunitBase
{
    public QualityPageTests() : base(StoreProvider.Sqlite)
    {
    }

    protected QualityPageTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task Each_rule_has_a_named_switch_and_switching_one_off_is_saved_and_audited()
    {
        await App.Services.GetRequiredService<QualitySettings>().SwitchAsync(App.Admin(), QualityReason.RoleAddress, on: false);
        var cut = RenderPage<QualityPage>();
        // Loaded: the table is there (a skeleton before).
        cut.WaitForAssertion(() => cut.Find("#quality-rules"));

        Assert.Equal(QualityRules.All.Count, cut.FindAll("#quality-rules tbody tr").Count);
        Assert.Equal("No company given: on", cut.Find("tr[data-rule=CompanyMissing] input").GetAttribute("aria-label"));
        Assert.Equal("Shared mailbox (info@, sales@), not a person's: off", cut.Find("tr[data-rule=RoleAddress] input").GetAttribute("aria-label"));

        await cut.InvokeAsync(() => cut.Find("tr[data-rule=CompanyMissing] input").Change(false));

        cut.WaitForAssertion(() => Assert.Equal("No company given: off", cut.Find("tr[data-rule=CompanyMissing] input").GetAttribute("aria-label")));
        Assert.Equal(QualityReason.RoleAddress | QualityReason.CompanyMissing, await App.Services.GetRequiredService<QualitySettings>().GetSwitchedOffAsync());
        Assert.Equal(2, await App.QueryAsync(db => db.AuditLog.CountAsync(a => a.Action == AuditActions.QualityRuleSwitched)));
    }
}

[PostgresStore]
public sealed class QualityPagePostgresTests() : QualityPageTests(StoreProvider.Postgres);
