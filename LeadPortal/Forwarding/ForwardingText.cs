using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Shared;

namespace LeadPortal.Forwarding;

/// <summary>How the forwarding pages put a destination and a delivery into words.</summary>
public static class ForwardingText
{
    public static string Leads(DestinationSummary destination)
    {
        var actions = destination.Actions.Length == 0 ? "Every action" : string.Join(", ", destination.Actions.Select(LeadActions.Label));
        var offers = destination.Offers.Length == 0 ? "every offer" : string.Join(", ", destination.Offers);
        var extra = (destination.IncludeTest, destination.IncludeDoNotContact) switch
        {
            (true, true) => "; test and do-not-contact leads too",
            (true, false) => "; test leads too",
            (false, true) => "; do-not-contact leads too",
            _ => "",
        };
        return $"{actions} · {offers}{extra}";
    }

    public static string Body(DestinationSummary destination) => destination.Body == ForwardBody.Mapped
        ? $"Mapped through \"{destination.ProfileName ?? "(missing profile)"}\" · timeout {destination.TimeoutSeconds} s"
        : $"Raw Partner Center JSON · timeout {destination.TimeoutSeconds} s";

    /// <summary>
    /// The URL as the pages show it: without its query, which often is the credential (a Power Automate trigger's
    /// <c>sig=</c>). The edit dialog has the whole URL.
    /// </summary>
    public static string DisplayUrl(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? url : url[..query] + "?…";
    }

    public static string Duration(TimeSpan span) =>
        // A no-break space, so "24 h" never breaks across lines.
        span.TotalHours >= 1 ? $"{span.TotalHours:0.#}\u00a0h"
        : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#}\u00a0min"
        : $"{span.TotalSeconds:0.#}\u00a0s";

    /// <summary>The last answer of a delivery in a few words.</summary>
    public static string LastAnswer(int? statusCode, string? error) =>
        statusCode is { } code && error is null ? code.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : error ?? "—";
}
