using Bunit;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Leads;

/// <summary>On SQLite; <see cref="ReasonAdminPostgresTests"/> runs the same on PostgreSQL.</summary>
public class ReasonAdminTests : AppBunitBase
{
    public ReasonAdminTests() : base(StoreProvider.Sqlite)
    {
    }

    protected ReasonAdminTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreFact]
    public async Task The_seeded_reasons_are_listed_and_an_admin_adds_and_renames_one_each_change_audited()
    {
        var cut = RenderPage<ReasonAdmin>();
        cut.WaitForAssertion(() => Assert.Equal(
            ["Not interested", "No budget", "No authority", "No need", "Competitor", "Unreachable", "Spam, abuse or phishing", "Test", "Duplicate", "Other"],
            cut.FindAll("#reasons-loaded td.reason-name").Select(td => td.TextContent)));

        await cut.InvokeAsync(() => cut.FindComponents<MudBlazor.MudTextField<string>>()[0].Instance.ValueChanged.InvokeAsync("Went with a partner"));
        await cut.InvokeAsync(() => cut.Find("button#add-reason").Click());
        cut.WaitForAssertion(() => Assert.Equal("Went with a partner", cut.FindAll("td.reason-name")[^1].TextContent));

        // A second "Spam…" in another case is refused in words, and nothing is added.
        await cut.InvokeAsync(() => cut.FindComponents<MudBlazor.MudTextField<string>>()[0].Instance.ValueChanged.InvokeAsync("SPAM, abuse or phishing"));
        await cut.InvokeAsync(() => cut.Find("button#add-reason").Click());
        cut.WaitForAssertion(() => Assert.Contains("There is already a reason named \"SPAM, abuse or phishing\".", cut.Find("#reason-error").TextContent));
        Assert.Equal(11, cut.FindAll("td.reason-name").Count);

        await cut.InvokeAsync(() => cut.Find("button[aria-label='Edit Went with a partner']").Click());
        // The edit field renders after the click's handler has run (on a loaded run, not yet when this line came).
        IRenderedComponent<MudBlazor.MudTextField<string>>? edit = null;
        cut.WaitForState(() => (edit = cut.FindComponents<MudBlazor.MudTextField<string>>().SingleOrDefault(f => f.Instance.Class == "edit-reason-name")) is not null);
        await cut.InvokeAsync(() => edit!.Instance.ValueChanged.InvokeAsync("Partner deal"));
        await cut.InvokeAsync(() => cut.Find("button.save-reason").Click());
        cut.WaitForAssertion(() => Assert.Equal("Partner deal", cut.FindAll("td.reason-name")[^1].TextContent));

        var audit = await App.QueryAsync(db => db.AuditLog.Where(a => a.Action.StartsWith("reason.")).OrderBy(a => a.Id).Select(a => new { a.Action, a.Target, a.Details }).ToListAsync());
        Assert.Equal([(AuditActions.ReasonCreated, "Went with a partner", (string?)null), (AuditActions.ReasonUpdated, "Partner deal", "renamed from \"Went with a partner\"")],
            audit.Select(a => (a.Action, a.Target, a.Details)));
    }
}

[PostgresStore]
public sealed class ReasonAdminPostgresTests() : ReasonAdminTests(StoreProvider.Postgres);
