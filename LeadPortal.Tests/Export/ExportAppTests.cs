using System.Net;
using System.Security.Claims;
using LeadPortal.Data;
using LeadPortal.Mapping;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Export;

/// <summary>An app of its own per test with the sample leads posted and the admin signed in; profiles copied from presets.</summary>
public abstract class ExportAppTests : IAsyncLifetime
{
    protected static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, LeadPortalFactory.AdminEmail)], "test"));

    protected ExportAppTests(StoreProvider provider) => App = new LeadPortalFactory(provider, TempDatabase.NewPath());

    protected LeadPortalFactory App { get; }

    /// <summary>The signed-in admin's browser-like client (cookies kept, no redirects followed).</summary>
    protected HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Client = App.CreateCookieClient();
        var intake = App.CreateClient();
        foreach (var sample in SampleLeads.Names)
        {
            Assert.Equal(HttpStatusCode.Created, (await intake.PostLeadAsync(SampleLeads.Read(sample))).StatusCode);
        }

        await Client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>A profile copied from <paramref name="preset"/>, changed as the test says and saved.</summary>
    protected async Task<int> ProfileAsync(string preset, Action<MappingDefinition>? change = null)
    {
        var store = App.Services.GetRequiredService<MappingProfileStore>();
        var copied = await store.CopyPresetAsync(preset, Admin);
        Assert.True(copied.Succeeded, string.Join(" ", copied.Errors));
        if (change is not null)
        {
            var stored = (await store.GetAsync(copied.Id!.Value))!;
            change(stored.Definition);
            Assert.True((await store.SaveAsync(stored.Id, stored.Name, stored.Definition, Admin)).Succeeded);
        }

        return copied.Id!.Value;
    }
}
