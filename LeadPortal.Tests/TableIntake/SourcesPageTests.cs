using Bunit;
using LeadPortal.Data;
using LeadPortal.TableIntake;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.TableIntake;

/// <summary>Admin › Sources on SQLite; <see cref="SourcesPagePostgresTests"/> runs the same on PostgreSQL.</summary>
public class SourcesPageTests : AppBunitBase
{
    public SourcesPageTests() : base(StoreProvider.Sqlite)
    {
    }

    protected SourcesPageTests(StoreProvider provider) : base(provider)
    {
    }

    private const string Key = "c2VjcmV0LWtleS1ub3QtdG8tYmUtc2hvd24tYW55d2hlcmUtMDEyMzQ1Njc4OQ==";

    [StoreFact]
    public async Task An_added_source_keeps_its_credential_encrypted_and_an_unreachable_service_shows_on_the_page()
    {
        var closedPort = TestSmtpServer.FreePort();
        var cut = RenderPage<SourcesPage>();
        cut.WaitForElement("#sources-loaded");
        Assert.Contains("No table sources", cut.Find("#sources-empty").TextContent);

        await cut.InvokeAsync(() => cut.Find("#add-source").Click());
        await cut.InvokeAsync(() => cut.Find("#source-name").Change("Marketplace table"));
        await cut.InvokeAsync(() => cut.Find("#source-credential").Change("AccountName=x;AccountKey="));
        await cut.InvokeAsync(() => cut.Find("#save-source").Click());
        cut.WaitForAssertion(() => Assert.Contains("not a storage connection string", cut.Find("#source-problems").TextContent));
        Assert.Equal(0, await App.QueryAsync(db => db.TableSources.CountAsync()));

        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:{closedPort}/devstoreaccount1;";
        await cut.InvokeAsync(() => cut.Find("#source-credential").Change(connection));
        await cut.InvokeAsync(() => cut.Find("#source-since").Change("2026-06-01"));
        await cut.InvokeAsync(() => cut.Find("#save-source").Click());

        cut.WaitForAssertion(() => Assert.Contains("Marketplace table", cut.Find(".source-name").TextContent));
        var row = await App.QueryAsync(db => db.TableSources.AsNoTracking().SingleAsync());
        Assert.Equal(("MarketplaceLeads", new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc)), (row.Table, row.Since!.Value));
        Assert.NotNull(row.CredentialProtected);
        Assert.DoesNotContain(Key, row.CredentialProtected);
        Assert.Equal($"http://127.0.0.1:{closedPort}/devstoreaccount1", row.Endpoint);

        // The poller is woken by the new source; the page shows what it found, refreshed on its own.
        cut.WaitForAssertion(() => Assert.Contains("cannot be reached", cut.Find(".source-error").TextContent), TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(Key, cut.Markup);
        Assert.DoesNotContain(App.Logs.Lines, line => line.Contains(Key, StringComparison.Ordinal));
        Assert.Single(await App.QueryAsync(db => db.AuditLog.Where(a => a.Action == LeadPortal.Audit.AuditActions.TableSourceCreated).ToListAsync()));
    }

    [StoreFact]
    public async Task A_first_read_under_way_shows_its_progress_and_a_configured_source_cannot_be_deleted_here()
    {
        await App.QueryAsync(async db =>
        {
            db.TableSources.Add(new TableSource
            {
                Name = "From config", FromConfiguration = true, Table = "MarketplaceLeads", CreatedAt = DateTime.UtcNow,
                RunStartedAt = DateTime.UtcNow, RunRead = 1200, RunImported = 1150, ImportedTotal = 1150, Paused = true,
            });
            return await db.SaveChangesAsync();
        });

        var cut = RenderPage<SourcesPage>();
        cut.WaitForElement("#sources-loaded");

        Assert.Contains("Reading the table's history: 1,200 read, 1,150 new", cut.Find(".source-progress").TextContent);
        Assert.Contains("Configuration", cut.Find(".source-row").TextContent);
        Assert.True(cut.Find(".delete-source").HasAttribute("disabled"));
        Assert.Equal("/?origin=Table&originName=From%20config", cut.Find(".source-leads").GetAttribute("href"));
    }
}

[PostgresStore]
public sealed class SourcesPagePostgresTests() : SourcesPageTests(StoreProvider.Postgres);
