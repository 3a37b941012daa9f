using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LeadPortal.Leads;

/// <summary>A grid change's outcome as a snackbar: success with Undo, or a warning that says how the lead is now.</summary>
public static class GridSnackbar
{
    public static void Show(ISnackbar snackbar, GridOutcome outcome, EventCallback reload)
    {
        var severity = outcome.Kind switch
        {
            GridOutcomeKind.Changed => Severity.Success,
            GridOutcomeKind.AlreadySo => Severity.Info,
            _ => Severity.Warning,
        };
        snackbar.Add(outcome.Message, severity, config =>
        {
            config.VisibleStateDuration = outcome.Kind == GridOutcomeKind.ChangedMeanwhile ? 10_000 : 6_000;
            if (outcome.Undo is { } undo)
            {
                config.Action = "Undo";
                config.ActionColor = Color.Inherit;
                config.OnClick = async _ =>
                {
                    var undone = await undo();
                    Show(snackbar, undone with { Undo = null }, reload);
                    await reload.InvokeAsync();
                };
            }
        }, key: outcome.Message + Guid.NewGuid());
    }
}
