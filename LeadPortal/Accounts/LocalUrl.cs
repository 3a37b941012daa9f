using System.Globalization;

namespace LeadPortal.Accounts;

/// <summary>Where the account pages may send a browser back to: a path on this site, nothing else.</summary>
public static class LocalUrl
{
    /// <summary>The return URL when it is a local path, otherwise the inbox ("/").</summary>
    public static string SafeReturnUrl(string? returnUrl) => IsLocalPath(returnUrl) ? returnUrl! : "/";

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
}
