namespace LeadPortal.Infrastructure;

/// <summary>
/// Refuses a Blazor circuit (<c>/_blazor</c>: negotiate, WebSocket upgrade, the fallback transports) started by a page
/// of another origin. The circuit runs as whoever's cookie comes with the handshake, and a SameSite=Lax cookie comes
/// from any same-site page too (another port on this host, a sibling subdomain), so without this such a page could
/// drive an admin's session. The app's own origin is always allowed; behind a proxy that rewrites the host, the public
/// address is named in <c>Hosting:PublicOrigins</c>.
/// </summary>
public sealed class CircuitOriginCheck(IReadOnlyCollection<string> publicOrigins)
{
    public const string Section = "Hosting";

    public static CircuitOriginCheck Read(IConfiguration configuration)
    {
        var origins = new List<string>();
        var section = configuration.GetSection(Section).GetSection("PublicOrigins");
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "");
        foreach (var value in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.PathAndQuery != "/" || !string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new InvalidOperationException(
                    $"{Section}:PublicOrigins holds '{value}', which is not an origin: a scheme and host with an optional port and nothing after it (e.g. https://leads.contoso.com).");
            }

            origins.Add(uri.GetLeftPart(UriPartial.Authority));
        }

        return new CircuitOriginCheck(origins);
    }

    public static bool IsCircuitPath(PathString path) => path.StartsWithSegments("/_blazor");

    /// <summary>Whether the request may reach a circuit. A browser sends <c>Origin</c> with every WebSocket handshake and
    /// every cross-origin or POST request; a same-origin GET (long polling) may come without one, and then
    /// <c>Sec-Fetch-Site</c> says where it comes from. A request with neither header is not from a browser, so no
    /// victim's cookie rides on it.</summary>
    public bool Allows(HttpRequest request)
    {
        var own = $"{request.Scheme}://{request.Host.Value}";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return IsAllowed(origin, own);
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        return site.Length == 0 || site is "same-origin" or "none";
    }

    private bool IsAllowed(string origin, string own)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;   // "null" (a sandboxed frame, a file:// page) and anything malformed
        }

        var normalised = uri.GetLeftPart(UriPartial.Authority);
        return Uri.TryCreate(own, UriKind.Absolute, out var ownUri) && string.Equals(normalised, ownUri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            || publicOrigins.Any(p => string.Equals(normalised, p, StringComparison.OrdinalIgnoreCase));
    }
}
