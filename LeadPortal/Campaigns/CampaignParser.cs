using System.Text;
using System.Text.Json;

namespace LeadPortal.Campaigns;

/// <summary>The campaign keys found in a lead's Description: every key once, in lower case, in the order found.</summary>
public sealed record CampaignFields(IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public static readonly CampaignFields None = new([]);

    /// <summary>Partner Center's campaign id on offer links (<c>mktcmpid</c>).</summary>
    public string? Id => Get(CampaignParser.IdKey);

    /// <summary>The publisher's own source tag (<c>src</c>).</summary>
    public string? Source => Get(CampaignParser.SourceKey);

    public bool IsEmpty => Fields.Count == 0;

    public string? Get(string key) => Fields.FirstOrDefault(f => f.Key == key).Value;

    /// <summary>All fields as one JSON object (what <c>Lead.CampaignFields</c> keeps); null when there are none.</summary>
    public string? ToJson() => IsEmpty ? null : JsonSerializer.Serialize(Fields.ToDictionary(f => f.Key, f => f.Value));

    /// <summary>Reads what <see cref="ToJson"/> wrote; anything else is no fields.</summary>
    public static CampaignFields FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return None;
        }

        try
        {
            return new(JsonSerializer.Deserialize<Dictionary<string, string>>(json)?.ToList() ?? []);
        }
        catch (JsonException)
        {
            return None;
        }
    }
}

/// <summary>
/// Campaign parameters that publishers add to their offer links and that arrive inside <c>Description</c>, in any of the
/// shapes seen in real leads: a JSON object (<c>{"mktcmpid":"spring","src":"linkedin"}</c>), a query string
/// (<c>mktcmpid=spring&amp;src=linkedin</c>, with or without <c>?</c>, or one such token inside a sentence), or a
/// "Campaigns:" prefix followed by either, or by a bare campaign id. Tolerant and total: garbage gives no fields and
/// never an exception, and the Description itself is always kept as sent.
/// </summary>
public static class CampaignParser
{
    public const string IdKey = "mktcmpid";
    public const string SourceKey = "src";

    public const int MaxFields = 20;
    public const int MaxKeyLength = 64;
    public const int MaxValueLength = 256;

    /// <summary>A longer Description is prose, not parameters: it is not read.</summary>
    public const int MaxInput = 4_000;

    private const string Prefix = "campaigns:";

    public static CampaignFields Parse(string? description)
    {
        if (string.IsNullOrWhiteSpace(description) || description.Length > MaxInput)
        {
            return CampaignFields.None;
        }

        var text = description.Trim();
        if (text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            var rest = text[Prefix.Length..].Trim();
            // "Campaigns: spring-2026": a bare value is the campaign id.
            return rest.Length > 0 && rest.IndexOfAny(['=', '{', ' ', '&']) < 0
                ? Fields([new(IdKey, rest)])
                : ParseBody(rest);
        }

        return ParseBody(text);
    }

    private static CampaignFields ParseBody(string text)
    {
        if (text.StartsWith('{'))
        {
            return FromJson(text);
        }

        // The whole text is a query string, or one token of it carries the campaign keys.
        var query = text.TrimStart('?');
        if (IsQueryString(query))
        {
            return FromQuery(query);
        }

        foreach (var token in text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var at = token.IndexOf('?');
            var candidate = (at >= 0 ? token[(at + 1)..] : token).TrimEnd('.', ',', ';', ')');
            if (candidate.Contains(IdKey + "=", StringComparison.OrdinalIgnoreCase) || candidate.StartsWith(SourceKey + "=", StringComparison.OrdinalIgnoreCase)
                || candidate.StartsWith("utm_", StringComparison.OrdinalIgnoreCase))
            {
                if (IsQueryString(candidate))
                {
                    return FromQuery(candidate);
                }
            }
        }

        return CampaignFields.None;
    }

    private static bool IsQueryString(string text) =>
        text.Contains('=') && !text.Any(char.IsWhiteSpace)
        && text.Split('&', StringSplitOptions.RemoveEmptyEntries).All(p => p.IndexOf('=') is > 0 and var eq && Key(p[..eq]) is not null);

    private static CampaignFields FromQuery(string query)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (Key(part[..eq]) is { } key)
            {
                fields.Add(new(key, Decode(part[(eq + 1)..])));
            }
        }

        return Fields(fields);
    }

    private static CampaignFields FromJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return CampaignFields.None;
            }

            var fields = new List<KeyValuePair<string, string>>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                // Scalars only: a nested object is not a campaign parameter.
                if (Scalar(property.Value) is { } value && Key(property.Name) is { } key)
                {
                    fields.Add(new(key, value));
                }
            }

            return Fields(fields);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return CampaignFields.None;
        }
    }

    /// <summary>A string, number or boolean as text; null for anything else, or a string JSON cannot give (a lone surrogate escape).</summary>
    private static string? Scalar(JsonElement value)
    {
        try
        {
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            };
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A key in lower case: a letter or underscore first, then letters, digits, _ . -; null otherwise.</summary>
    private static string? Key(string raw)
    {
        var key = raw.Trim();
        if (key.Length is 0 or > MaxKeyLength || !(char.IsAsciiLetter(key[0]) || key[0] == '_')
            || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            return null;
        }

        return key.ToLowerInvariant();
    }

    private static string Decode(string value)
    {
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            decoded = value;
        }

        return decoded;
    }

    /// <summary>Each key once (the first wins), values cleaned (no control characters or lone surrogates) and capped.</summary>
    private static CampaignFields Fields(IEnumerable<KeyValuePair<string, string>> found)
    {
        var kept = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in found)
        {
            var clean = Clean(value);
            if (kept.Count < MaxFields && clean.Length > 0 && !kept.Any(k => k.Key == key))
            {
                kept.Add(new(key, clean));
            }
        }

        return kept.Count == 0 ? CampaignFields.None : new CampaignFields(kept);
    }

    private static string Clean(string value)
    {
        var text = new StringBuilder(Math.Min(value.Length, MaxValueLength));
        for (var i = 0; i < value.Length && text.Length < MaxValueLength; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                if (text.Length + 2 > MaxValueLength)
                {
                    break;
                }

                text.Append(c).Append(value[++i]);
            }
            else if (!char.IsSurrogate(c) && !char.IsControl(c) && c != '\uFFFD')
            {
                text.Append(c);
            }
        }

        return text.ToString().Trim();
    }
}
