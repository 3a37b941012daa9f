using Bunit;
using LeadPortal.Components.Layout;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace LeadPortal.Tests.Layout;

public sealed class OneSnackbarTests : BunitContext
{
    public OneSnackbarTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(mud => OneSnackbar.Configure(mud.SnackbarConfiguration));
    }

    [Fact]
    public async Task A_newer_message_replaces_the_one_on_screen_and_the_replaced_ones_never_come_back()
    {
        var provider = Render<MudSnackbarProvider>();
        Render<OneSnackbar>();
        var snackbar = Services.GetRequiredService<ISnackbar>();

        await provider.InvokeAsync(() => snackbar.Add("Status changed to Contacted.", Severity.Success));
        await provider.InvokeAsync(() => snackbar.Add("Owner changed to Sam.", Severity.Success));
        await provider.InvokeAsync(() => snackbar.Add("Note added.", Severity.Success));
        // The same message again merges with the one on screen.
        await provider.InvokeAsync(() => snackbar.Add("Note added.", Severity.Success));

        provider.WaitForAssertion(() =>
        {
            Assert.Contains("Note added.", provider.Markup);
            Assert.DoesNotContain("Owner changed", provider.Markup);
            Assert.DoesNotContain("Status changed", provider.Markup);
        });
        var shown = Assert.Single(snackbar.ShownSnackbars);

        // Once the newest goes, nothing older shows up in its place.
        await provider.InvokeAsync(() => snackbar.Remove(shown));
        provider.WaitForAssertion(() => Assert.Empty(snackbar.ShownSnackbars));
        Assert.DoesNotContain("changed", provider.Markup);
        Assert.Equal(Defaults.Classes.Position.BottomLeft, snackbar.Configuration.PositionClass);
    }
}
