namespace LeadPortal.Intake;

/// <summary>Parses Partner Center's <c>LeadSource</c>: <c>Source-Action|publisher.offer</c>, each part optional.</summary>
public static class LeadSourceParser
{
    public readonly record struct Parts(string? Source, string? Action, string? Offer);

    public static Parts Parse(string? leadSource)
    {
        if (string.IsNullOrWhiteSpace(leadSource))
        {
            return default;
        }

        var text = leadSource.Trim();
        string? offer = null;
        var bar = text.IndexOf('|');
        if (bar >= 0)
        {
            offer = NullIfEmpty(text[(bar + 1)..]);
            text = text[..bar];
        }

        // Neither sources nor action codes contain '-', so the last one separates them; a bare source has none.
        string source = text;
        string? action = null;
        var dash = text.LastIndexOf('-');
        if (dash >= 0)
        {
            source = text[..dash];
            action = text[(dash + 1)..];
        }

        return new Parts(NullIfEmpty(source), NullIfEmpty(action), offer);
    }

    private static string? NullIfEmpty(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
