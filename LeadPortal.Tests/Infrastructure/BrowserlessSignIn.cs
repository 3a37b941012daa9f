using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>Signs in through the real sign-in form (antiforgery token and all), keeping the cookie.</summary>
public static partial class BrowserlessSignIn
{
    public static HttpClient CreateCookieClient(this LeadPortalFactory app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password)
    {
        var form = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
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

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
