namespace LeadPortal.Shared;

/// <summary>The action codes Partner Center sends, with the labels sales staff see.</summary>
public static class LeadActions
{
    public const string GetItNow = "INS";
    public const string ContactMe = "PLT";
    public const string DoNotContact = "DNC";
    public const string AzurePortal = "Create";
    public const string TestDrive = "StartTestDrive";

    public static readonly IReadOnlyList<(string Code, string Label)> Known =
    [
        (GetItNow, "Get it now / free trial"),
        (ContactMe, "Contact me"),
        (DoNotContact, "Do not contact"),
        (AzurePortal, "Azure portal purchase"),
        (TestDrive, "Test drive"),
    ];

    /// <summary>The canonical spelling of a known code (any case), or the value itself, trimmed.</summary>
    /// <summary>Whether the customer asked not to be contacted (DNC, any case or padding): no mail or call is offered for the lead.</summary>
    public static bool IsDoNotContact(string? code) => string.Equals(code?.Trim(), DoNotContact, StringComparison.OrdinalIgnoreCase);

    public static string? Canonical(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var trimmed = code.Trim();
        foreach (var (known, _) in Known)
        {
            if (string.Equals(known, trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return trimmed;
    }

    /// <summary>A label short enough for a grid column; unknown codes as they came.</summary>
    public static string ShortLabel(string? code) => Canonical(code) switch
    {
        GetItNow => "Get it now",
        ContactMe => "Contact me",
        DoNotContact => "Do not contact",
        AzurePortal => "Azure portal",
        TestDrive => "Test drive",
        null => "Unknown",
        var other => other,
    };

    /// <summary>A friendly label; unknown codes are shown as they came.</summary>
    public static string Label(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return "Unknown";
        }

        foreach (var (known, label) in Known)
        {
            if (string.Equals(known, code, StringComparison.OrdinalIgnoreCase))
            {
                return label;
            }
        }

        return code;
    }
}
