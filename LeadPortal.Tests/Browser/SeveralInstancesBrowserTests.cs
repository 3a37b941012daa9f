using System.Diagnostics;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

/// <summary>An inbox open in Chromium on one instance hears of a lead posted to another (an OS process) on the same PostgreSQL.</summary>
[PostgresStore]
[Collection(HeavyTests.Name)]
public sealed class SeveralInstancesBrowserTests : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    private readonly string _database = PostgresServer.SkipReason is null ? PostgresServer.Instance.NewDatabase() : "";
    private LeadPortalFactory? _b;
    private AppProcess? _a;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    // xunit v2 disposes a test class through IAsyncLifetime (an IAsyncDisposable class would leave its processes running).
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_a is not null)
        {
            await _a.DisposeAsync();
        }

        if (_b is not null)
        {
            await _b.DisposeAsync();
        }

        if (_database.Length > 0)
        {
            PostgresServer.Instance.DropDatabase(_database);
        }
    }

    [StoreFact(Browser = true, Timeout = 180_000)]
    public async Task A_lead_posted_to_one_instance_shows_live_in_an_inbox_open_on_the_other()
    {
        _a = await AppProcess.StartAsync(StoreProvider.Postgres, _database);
        _b = new LeadPortalFactory(StoreProvider.Postgres, "", new Dictionary<string, string?> { ["ConnectionStrings:LeadPortal"] = _database });
        _b.UseKestrel(0);
        _b.StartServer();
        var onB = _b.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        BrowserFactAttribute.SetExpectationTimeout();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, BaseURL = onB });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await SignInPage.SignInAsync(page, LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await page.GotoAsync("/leads");
        await SignInPage.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("#inbox-empty")).ToBeVisibleAsync();

        using var toA = new HttpClient { BaseAddress = new Uri(_a.Address) };
        var posted = Stopwatch.StartNew();
        Assert.Equal(System.Net.HttpStatusCode.Created, (await toA.PostLeadAsync(SampleLeads.Read("marketplace-install"))).StatusCode);

        // The newest page is on screen: the lead appears in it, without a reload.
        await Assertions.Expect(page.Locator("tr.lead-row")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = 5_000 });
        Assert.True(posted.Elapsed < TimeSpan.FromSeconds(5), $"The lead showed after {posted.Elapsed.TotalSeconds:0.0} s.");
        await Assertions.Expect(page.Locator("tr.lead-row").First).ToContainTextAsync("Lindqvist");
    }
}
