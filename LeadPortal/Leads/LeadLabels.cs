using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Shared;
using MudBlazor;

namespace LeadPortal.Leads;

/// <summary>How leads look everywhere in the UI: status and action colours and names.</summary>
public static class LeadLabels
{
    public static Color StatusColor(LeadStatus status) => status switch
    {
        LeadStatus.New => Color.Info,
        LeadStatus.Contacted => Color.Primary,
        LeadStatus.Qualified => Color.Success,
        LeadStatus.Converted => Color.Tertiary,
        LeadStatus.Disqualified => Color.Default,
        _ => Color.Default,
    };

    public static Color ActionColor(string? code) => code switch
    {
        LeadActions.DoNotContact => Color.Error,
        LeadActions.ContactMe => Color.Warning,
        LeadActions.GetItNow => Color.Success,
        LeadActions.TestDrive => Color.Info,
        LeadActions.AzurePortal => Color.Primary,
        _ => Color.Default,
    };

    /// <summary>Partner Center's source tokens in words (AzurePortal → Azure portal); unknown ones as they came.</summary>
    public static string? SourceLabel(string? source) => source switch
    {
        null or "" => null,
        _ when source.Equals("AzurePortal", StringComparison.OrdinalIgnoreCase) => "Azure portal",
        _ when source.Equals("AzureMarketplace", StringComparison.OrdinalIgnoreCase) => "Azure Marketplace",
        _ when source.Equals("AppSource", StringComparison.OrdinalIgnoreCase) => "AppSource",
        _ when source.Equals("SPZA", StringComparison.OrdinalIgnoreCase) => "AppSource",
        _ => source,
    };

    /// <summary>Who did it, as the timeline shows it: "Automatically" for an assignment rule.</summary>
    public static string ActivityActor(ActivityView activity) =>
        activity.Kind == Data.LeadActivityKind.AutoAssigned ? "Automatically" : activity.UserName ?? "Someone";

    public static string ActivityText(ActivityView activity) => activity.Kind switch
    {
        Data.LeadActivityKind.StatusChanged when activity.Text is not null => $"changed the status from {activity.FromValue} to {activity.ToValue} ({activity.Text})",
        Data.LeadActivityKind.StatusChanged => $"changed the status from {activity.FromValue} to {activity.ToValue}",
        Data.LeadActivityKind.TaskAdded => $"added a task: {activity.Text}",
        Data.LeadActivityKind.TaskDone => $"finished the task: {activity.Text}",
        Data.LeadActivityKind.OwnerChanged when activity.ToValue is null => $"removed the owner {activity.FromValue}",
        Data.LeadActivityKind.OwnerChanged => activity.FromValue is null
            ? $"assigned the lead to {activity.ToValue}"
            : $"moved the lead from {activity.FromValue} to {activity.ToValue}",
        Data.LeadActivityKind.AutoAssigned => $"assigned to {activity.ToValue} by rule '{activity.Text}'",
        Data.LeadActivityKind.FollowUpChanged when activity.ToValue is null => "cleared the follow-up",
        Data.LeadActivityKind.FollowUpChanged => $"set a follow-up for {Day(activity.ToValue)}",
        Data.LeadActivityKind.Call => Logged("a call", activity),
        Data.LeadActivityKind.Email => Logged("an e-mail", activity),
        Data.LeadActivityKind.Meeting => Logged("a meeting", activity),
        Data.LeadActivityKind.MarkedResponded => "marked the lead responded",
        Data.LeadActivityKind.PartnerCenterAcceptance when activity.ToValue == "accepted" => "marked the lead accepted in Partner Center",
        Data.LeadActivityKind.PartnerCenterAcceptance => "marked the lead not accepted in Partner Center",
        _ => "added a note",
    };

    private static string Logged(string what, ActivityView activity) =>
        string.IsNullOrEmpty(activity.ToValue) ? $"logged {what}" : $"logged {what}: {activity.ToValue}";

    private static string Day(string? isoDay) =>
        DateOnly.TryParse(isoDay, System.Globalization.CultureInfo.InvariantCulture, out var day)
            ? day.ToString("ddd d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture)
            : isoDay ?? "";

    /// <summary>"today", "overdue 2 d", "Thu 3 Dec": a follow-up as the grid shows it.</summary>
    public static string FollowUpText(DateOnly day, DateOnly today) => (day.DayNumber - today.DayNumber) switch
    {
        0 => "today",
        < 0 and var late => $"overdue {-late} d",
        1 => "tomorrow",
        _ => day.ToString("ddd d MMM", System.Globalization.CultureInfo.InvariantCulture),
    };
}
