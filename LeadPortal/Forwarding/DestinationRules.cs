using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Shared;

namespace LeadPortal.Forwarding;

/// <summary>What makes a destination valid, and which leads it takes. Shared by the admin form and configuration.</summary>
public static class DestinationRules
{
    public const int MaxNameLength = 100;
    public const int MaxUrlLength = 2000;
    public const int DefaultTimeoutSeconds = 10;
    public const int MaxTimeoutSeconds = 120;

    public static IEnumerable<string> NameProblems(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            yield return "Give the destination a name.";
        }
        else if (trimmed.Length > MaxNameLength)
        {
            yield return $"A name can be at most {MaxNameLength} characters.";
        }
    }

    /// <param name="allowPrivateNetworks">
    /// <see cref="ForwardingOptions.AllowPrivateNetworks"/>: when false, an address written in the URL must be public (a
    /// host name is looked up by <see cref="DestinationAddresses.RefusalAsync"/>, and checked again at every connection).
    /// </param>
    public static IEnumerable<string> UrlProblems(string? url, bool allowPrivateNetworks)
    {
        var trimmed = url?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            yield return "Enter the URL that receives the leads.";
        }
        else if (trimmed.Length > MaxUrlLength)
        {
            yield return $"A URL can be at most {MaxUrlLength} characters.";
        }
        else if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"\"{trimmed}\" is not an absolute http:// or https:// URL.";
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // Credentials in the URL would be shown on the list page and in every log line naming it.
            yield return "Put no user name or password in the URL; the signature tells the receiver the request is from LeadPortal.";
        }
        else if (!allowPrivateNetworks && DestinationAddresses.LiteralRefusal(uri) is { } refusal)
        {
            yield return refusal;
        }
    }

    public static string? TimeoutProblem(int seconds) =>
        seconds is < 1 or > MaxTimeoutSeconds ? $"The timeout must be 1 to {MaxTimeoutSeconds} seconds." : null;

    /// <summary>One entry a line (commas also separate), trimmed, without repeats; null when empty (which means "all").</summary>
    public static string? JoinList(IEnumerable<string>? items)
    {
        var list = (items ?? [])
            .SelectMany(i => (i ?? "").Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return list.Count == 0 ? null : string.Join('\n', list);
    }

    public static string? NormalizeList(string? text) => JoinList([text ?? ""]);

    public static string[] SplitList(string? stored) =>
        (stored ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether a lead is forwarded to the destination: its action and offer listed (or no list), test and do-not-contact leads only when chosen.</summary>
    public static bool Takes(ForwardingDestination destination, Lead lead)
    {
        if (lead.IsTest && !destination.IncludeTest)
        {
            return false;
        }

        if (string.Equals(lead.ActionCode?.Trim(), LeadActions.DoNotContact, StringComparison.OrdinalIgnoreCase) && !destination.IncludeDoNotContact)
        {
            return false;
        }

        return Listed(destination.Actions, lead.ActionCode) && Listed(destination.Offers, lead.OfferId);
    }

    private static bool Listed(string? list, string? value)
    {
        var items = SplitList(list);
        return items.Length == 0 || (value is not null && items.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase));
    }
}
