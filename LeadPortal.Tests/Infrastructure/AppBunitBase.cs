using System.Security.Claims;
using Bunit;
using LeadPortal.Accounts;
using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>bunit for admin screens: the app's own services (Identity, keys, audit) on its SQLite file, signed in as the bootstrapped admin.</summary>
public abstract class AppBunitBase : BunitContext, IAsyncLifetime
{
    protected AppBunitBase() : this(StoreProvider.Sqlite)
    {
    }

    protected AppBunitBase(StoreProvider provider)
    {
        App = new LeadPortalFactory(provider, TempDatabase.NewPath());
        // A wait ends as soon as its assertion passes; the ceiling only matters on a busy machine (CI runs both stores).
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        App.CreateClient();
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.Setup<string>("leadPortal.timeZone").SetResult("UTC");
        Services.AddMudServices(options => options.PopoverOptions.CheckForPopoverProvider = false);
        // The app's own (the fallback provider serves components, not the constructors of services registered here).
        Services.AddSingleton(App.Services.GetRequiredService<UserTimeZones>());
        Services.AddScoped<ViewerClock>();
        Services.AddScoped<InboxMemory>();
        Services.AddFallbackServiceProvider(App.Services);
        var auth = AddAuthorization();
        AdminId = App.QueryAsync(db => db.Users.Where(u => u.Email == LeadPortalFactory.AdminEmail).Select(u => u.Id).SingleAsync()).GetAwaiter().GetResult();
        auth.SetAuthorized(LeadPortalFactory.AdminEmail);
        auth.SetRoles(Roles.Admin);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, AdminId));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected LeadPortalFactory App { get; }
    protected string AdminId { get; }

    protected IRenderedComponent<TComponent> RenderPage<TComponent>(Action<ComponentParameterCollectionBuilder<TComponent>>? parameters = null)
        where TComponent : IComponent
    {
        Render<MudPopoverProvider>();
        Render<MudDialogProvider>();
        return Render(parameters ?? (_ => { }));
    }

    private bool _disposedAsync;

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        _disposedAsync = true;
        await App.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposedAsync)
        {
            base.Dispose(disposing);
        }
    }
}
