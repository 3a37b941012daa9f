using System.Globalization;
using System.Text;

namespace LeadPortal.Accounts;

/// <summary>Where the account pages may send a browser back to: a path on this site, nothing else.</summary>
public static class LocalUrl
{
    /// <summary>
    /// The return URL when it is a local path, otherwise the inbox ("/"); in ASCII, every other character
    /// percent-encoded as UTF-8 ("/leads?q=。" is "/leads?q=%E3%80%82"). The query string arrives decoded, and a redirect
    /// sends it back in a Location header, which Kestrel refuses outside ASCII: the sign-in answered 500 and signed no one in.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl) => IsLocalPath(returnUrl) && InAscii(returnUrl!) is { } ascii ? ascii : "/";

    /// <summary>
    /// True for "/" and paths such as "/leads?country=SE". Browsers drop tabs and line breaks inside a URL and
    /// read a backslash as a slash, so "/\t/evil.example" or "/\\evil.example" becomes "//evil.example", another
    /// site: any control character, whitespace, invisible formatting character or backslash is refused, wherever it is.
    /// </summary>
    public static bool IsLocalPath(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/' || (url.Length > 1 && url[1] == '/'))
        {
            return false;
        }

        foreach (var c in url)
        {
            if (c == '\\' || char.IsControl(c) || char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The URL with every character outside ASCII percent-encoded; escapes already in it are kept as they are (so an
    /// ASCII URL comes back unchanged). Null for a lone surrogate, which is no character at all and has no UTF-8.
    /// </summary>
    private static string? InAscii(string url)
    {
        if (System.Text.Ascii.IsValid(url))
        {
            return url;
        }

        var encoded = new StringBuilder(url.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < url.Length;)
        {
            if (Rune.DecodeFromUtf16(url.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return null;
            }

            i += consumed;
            if (rune.IsAscii)
            {
                encoded.Append((char)rune.Value);
                continue;
            }

            foreach (var b in utf8[..rune.EncodeToUtf8(utf8)])
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
