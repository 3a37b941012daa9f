using LeadPortal.Intake;
using LeadPortal.Mapping;
using LeadPortal.Shared;

namespace LeadPortal.Assignment;

/// <summary>
/// What a rule matches on. Each criterion is a set; an empty one matches every lead, and a lead must pass all four.
/// Values are kept canonical (action codes as <see cref="LeadActions"/> spells them, countries as ISO alpha-2, sources
/// as the three tokens), so a comparison is a set look-up.
/// </summary>
public sealed record RuleCriteria(
    IReadOnlySet<string> Actions, IReadOnlySet<string> Offers, IReadOnlySet<string> Countries, IReadOnlySet<string> Sources)
{
    public const string AppSource = "AppSource";
    public const string AzureMarketplace = "AzureMarketplace";
    public const string AzurePortal = "AzurePortal";

    public static readonly IReadOnlyList<(string Code, string Label)> KnownSources =
        [(AppSource, "AppSource"), (AzureMarketplace, "Azure Marketplace"), (AzurePortal, "Azure portal")];

    public static RuleCriteria Everything { get; } = new(Set([]), Set([]), Set([]), Set([]));

    public bool IsCatchAll => Actions.Count == 0 && Offers.Count == 0 && Countries.Count == 0 && Sources.Count == 0;

    public bool Matches(RoutingLead lead) =>
        In(Actions, LeadActions.Canonical(lead.Action))
        && In(Offers, lead.Offer?.Trim())
        && In(Countries, lead.Country?.Trim().ToUpperInvariant())
        && In(Sources, CanonicalSource(lead.Source));

    /// <summary>True when every lead this rule's <paramref name="later"/> would take, this one takes first.</summary>
    public bool Covers(RuleCriteria later) =>
        Wider(Actions, later.Actions) && Wider(Offers, later.Offers) && Wider(Countries, later.Countries) && Wider(Sources, later.Sources);

    /// <summary>Reads stored or configured lists: one value per line or comma-separated, canonical spelling.</summary>
    public static RuleCriteria Parse(string? actions, string? offers, string? countries, string? sources) => new(
        Set(Split(actions).Select(a => LeadActions.Canonical(a)!)),
        Set(Split(offers)),
        Set(Split(countries).Select(c => Shared.Countries.ToIso2(c).ToUpperInvariant())),
        Set(Split(sources).Select(s => CanonicalSource(s)!)));

    /// <summary>Partner Center's source token as rules know it (SPZA is AppSource's old name); others as they came.</summary>
    public static string? CanonicalSource(string? source) => source?.Trim() switch
    {
        null or "" => null,
        var s when s.Equals("SPZA", StringComparison.OrdinalIgnoreCase) || s.Equals(AppSource, StringComparison.OrdinalIgnoreCase) => AppSource,
        var s when s.Equals(AzureMarketplace, StringComparison.OrdinalIgnoreCase) => AzureMarketplace,
        var s when s.Equals(AzurePortal, StringComparison.OrdinalIgnoreCase) => AzurePortal,
        var s => s,
    };

    public static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split([',', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>As stored: one value per line, or null for "every".</summary>
    public static string? Join(IEnumerable<string> values)
    {
        var text = string.Join('\n', values);
        return text.Length == 0 ? null : text;
    }

    private static HashSet<string> Set(IEnumerable<string> values) => new(values, StringComparer.OrdinalIgnoreCase);

    private static bool In(IReadOnlySet<string> set, string? value) => set.Count == 0 || (value is not null && set.Contains(value));

    private static bool Wider(IReadOnlySet<string> earlier, IReadOnlySet<string> later) =>
        earlier.Count == 0 || (later.Count > 0 && later.All(earlier.Contains));
}

/// <summary>The parts of a lead that rules look at.</summary>
public sealed record RoutingLead(long Id, string? Action, string? Offer, string? Country, string? Source)
{
    public static RoutingLead From(Data.Lead lead) => new(lead.Id, lead.ActionCode, lead.OfferId, lead.Country, lead.Source);
}
