using Bunit;
using LeadPortal.Accounts;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>bunit with MudBlazor, loose JS interop, a signed-in user and the app's services on a real store (SQLite, or PostgreSQL in a subclass).</summary>
public abstract class BunitTestBase : BunitContext, IAsyncLifetime
{
    protected BunitTestBase() : this(StoreProvider.Sqlite)
    {
    }

    protected BunitTestBase(StoreProvider provider)
    {
        Store = new TestStore(provider);
        // A wait ends as soon as its assertion passes; the ceiling only matters on a busy machine (CI runs both stores).
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.Setup<string>("leadPortal.timeZone").SetResult("UTC");
        Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        Services.AddSingleton<IDbContextFactory<LeadPortalDbContext>>(Store);
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton<LeadFeed>();
        Services.AddSingleton<LeadQuery>();
        Services.AddSingleton<LeadWorkflow>();
        Services.AddSingleton<LeadTasks>();
        Services.AddSingleton<LeadPortal.Audit.AuditLog>();
        Services.AddSingleton<ReasonStore>();
        Services.AddSingleton<GridEdits>();
        Services.AddSingleton<RepeatPeople>();
        Services.AddSingleton<LeadStats>();
        Services.AddSingleton<SourceActivity>();
        Services.AddSingleton<LeadPortal.Responses.ResponseStats>();
        Services.AddSingleton<SavedViewStore>();
        Services.AddSingleton<UserTimeZones>();
        Services.AddScoped<ViewerClock>();
        Services.AddScoped<InboxMemory>();
        Auth = AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        Auth.SetAuthorized("Sam Sales");
        Auth.SetRoles(Roles.Sales);
        Auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, UserId));
    }

    protected TestStore Store { get; }
    protected FixedTime Time { get; } = new(DateTimeOffset.UtcNow);
    protected Bunit.TestDoubles.BunitAuthorizationContext Auth { get; }
    protected string UserId { get; } = Guid.NewGuid().ToString();

    protected NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    /// <summary>Renders a page with the popover provider that MudSelect and friends need.</summary>
    protected IRenderedComponent<TComponent> RenderPage<TComponent>(Action<ComponentParameterCollectionBuilder<TComponent>>? parameters = null)
        where TComponent : IComponent
    {
        Render<MudPopoverProvider>();
        return Render(parameters ?? (_ => { }));
    }

    private bool _disposedAsync;

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only async-disposable, so the container must be disposed asynchronously.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        _disposedAsync = true;
        Store.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposedAsync)
        {
            base.Dispose(disposing);
        }
    }
}
