using LeadPortal.Accounts;
using LeadPortal.Data;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LeadPortal.Tests.Browser;

/// <summary>The app on a real port (Kestrel) and a headless Chromium to drive it.</summary>
public sealed class BrowserApp : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;

    public BrowserApp()
    {
        App = new LeadPortalFactory(TempDatabase.NewPath(), Smtp.Settings) { Time = Clock };
    }

    /// <summary>The app's clock: the system's, moved on by a test that needs time to pass (it moves it back when done).</summary>
    public ShiftedTime Clock { get; } = new();

    /// <summary>Where the app's mail goes (a real SMTP server on loopback).</summary>
    public TestSmtpServer Smtp { get; } = TestSmtpServer.Start();

    public LeadPortalFactory App { get; }
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(BrowserFactAttribute.ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is required for browser tests but {BrowserFactAttribute.ChromiumPath} is missing (apt-get install chromium).");
        }

        App.UseKestrel(0);
        App.StartServer();
        var addresses = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        BrowserFactAttribute.SetExpectationTimeout();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <param name="timezoneId">The zone the browser is in (what it tells the app as its own).</param>
    public async Task<IPage> NewPageAsync(int width = 1400, int height = 900, string timezoneId = "Europe/Stockholm", ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BaseURL = BaseUrl,
            TimezoneId = timezoneId,
            ColorScheme = colorScheme,
        });
        context.SetDefaultTimeout(20_000);
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        return await context.NewPageAsync();
    }

    /// <summary>
    /// Closes every page opened since the last call (after each test, by <see cref="IBrowserTest"/>). A page left open
    /// keeps its circuit: each inbox left behind re-queried the store on every lead the later tests posted, and the
    /// suite's Chromium and app work grew with every test that ran.
    /// </summary>
    public async Task CloseTestPagesAsync()
    {
        IBrowserContext[] open;
        lock (_contexts)
        {
            open = [.. _contexts];
            _contexts.Clear();
        }

        foreach (var context in open)
        {
            try
            {
                await context.CloseAsync();
            }
            catch (PlaywrightException)
            {
                // Already closed by the test, or the browser went with it.
            }
        }
    }

    public async Task CreateUserAsync(string email, string password, string role)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email.Split('@')[0], CreatedAt = DateTime.UtcNow };
        var created = await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>The sign-in page, as a person uses it.</summary>
public static class SignInPage
{
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        // The first sign-in of a run also starts the app's pages cold (JIT, the first Razor renders): give it time.
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 60_000 });
    }

    /// <summary>Waits until the page's Blazor circuit is up, so clicks reach interactive handlers (not just the prerendered page).</summary>
    /// <remarks>
    /// The layout marks the document (<c>data-circuit="up"</c>) after its first interactive render. Up to a minute: on a
    /// machine under load a circuit can take longer than an action's 20 s to connect, and nothing else may happen first.
    /// </remarks>
    public static async Task WaitForCircuitAsync(IPage page) =>
        await page.WaitForFunctionAsync(
            "() => document.documentElement.getAttribute('data-circuit') === 'up'", null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 50 });
}
