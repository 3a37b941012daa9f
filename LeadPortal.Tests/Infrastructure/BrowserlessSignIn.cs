using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>Signs in through the real sign-in form (antiforgery token and all), keeping the cookie.</summary>
public static partial class BrowserlessSignIn
{
    public static HttpClient CreateCookieClient(this WebApplicationFactory<Program> app) =>
        (app as LeadPortalFactory)?.KestrelAddress is { } kestrel
            // The factory's own client for a real port follows redirects whatever its options say.
            ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = kestrel }
            : app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <param name="returnUrl">Sent as the sign-in page's returnUrl query parameter, as the sign-in redirect does.</param>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password, string? returnUrl = null)
    {
        var page = returnUrl is null ? "/account/login" : $"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}";
        var form = await client.GetStringAsync(page);
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        return await client.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>
    /// This client's antiforgery token, as the app's forms carry it (one serves every form of the same user and cookie).
    /// The change-password page renders one without JavaScript; the interactive pages render theirs only once running.
    /// </summary>
    public static async Task<string> FormTokenAsync(this HttpClient client, string page = "/account/change-password")
    {
        var token = AntiforgeryToken().Match(await client.GetStringAsync(page));
        Assert.True(token.Success, $"{page} rendered no antiforgery token.");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    /// <summary>Submits a form to <paramref name="url"/> as a page of the app does: its fields and this user's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, IEnumerable<KeyValuePair<string, string>>? fields = null) =>
        await client.PostAsync(url, new FormUrlEncodedContent(
            (fields ?? []).Append(new("__RequestVerificationToken", await client.FormTokenAsync()))));

    /// <summary>The auth cookie a response set (every chunk of it), as a Cookie header value.</summary>
    public static string AuthCookie(this HttpResponseMessage response)
    {
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split(';')[0]).Where(v => v.StartsWith("LeadPortal.Auth", StringComparison.Ordinal)).ToList()
            : [];
        Assert.True(cookies.Count > 0, "The response set no auth cookie.");
        return string.Join("; ", cookies);
    }

    /// <summary>A client that sends a copied cookie with every request and keeps nothing it is sent.</summary>
    public static HttpClient CreateClientWithCookie(this WebApplicationFactory<Program> app, string cookie)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    /// <summary>Posts what the layout's sign-out form posts.</summary>
    /// <remarks>
    /// That form sits in the account menu, which renders only once opened in a live circuit; the change-password page's
    /// form carries a token for the same signed-in user.
    /// </remarks>
    public static async Task<HttpResponseMessage> SignOutAsync(this HttpClient client)
    {
        var token = await client.FormTokenAsync();
        return await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
