using System.Net;
using System.Text.RegularExpressions;
using LeadPortal.Accounts;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Accounts;

public sealed partial class ReturnUrlTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/leads")]
    [InlineData("/leads/42")]
    [InlineData("/leads?country=SE&status=New")]
    [InlineData("/leads?q=a%20b")]
    [InlineData("/account/change-password?returnUrl=%2Fleads")]
    public void A_path_on_this_site_is_kept(string url)
    {
        Assert.Equal(url, LocalUrl.SafeReturnUrl(url));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("leads")]
    [InlineData("evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("http:/evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("~/leads")]
    [InlineData("//evil.example")]
    [InlineData("///evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/\\/evil.example")]
    [InlineData("/leads\\..\\..\\evil")]
    public void Anything_else_goes_to_the_inbox(string? url)
    {
        Assert.Equal("/", LocalUrl.SafeReturnUrl(url));
    }

    // Code points rather than strings: the test runner escapes control characters in theory data on the way to the test.
    [Theory]
    [InlineData(0x09)] // tab: browsers drop it, "/\t/evil.example" becomes "//evil.example"
    [InlineData(0x0a)]
    [InlineData(0x0d)]
    [InlineData(0x00)]
    [InlineData(0x1f)]
    [InlineData(0x20)]
    [InlineData(0x7f)]
    [InlineData(0x85)]
    [InlineData(0xa0)]
    [InlineData(0x2028)]
    [InlineData(0x200b)]
    [InlineData(0xfeff)]
    [InlineData(0x5c)] // backslash: read as a slash
    public void A_control_character_whitespace_or_backslash_anywhere_sends_to_the_inbox(int character)
    {
        var c = (char)character;

        Assert.Equal("/", LocalUrl.SafeReturnUrl($"/{c}/evil.example"));
        Assert.Equal("/", LocalUrl.SafeReturnUrl($"{c}//evil.example"));
        Assert.Equal("/", LocalUrl.SafeReturnUrl($"/leads{c}"));
        Assert.Equal("/", LocalUrl.SafeReturnUrl($"/leads?q={c}"));
    }

    [Fact]
    public async Task The_change_password_pages_cancel_link_never_leaves_the_site()
    {
        await using var app = new LeadPortalFactory();
        var client = app.CreateCookieClient();
        await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);

        var hostile = await client.GetStringAsync("/account/change-password?returnUrl=%2F%09%2Fevil.example");
        var local = await client.GetStringAsync("/account/change-password?returnUrl=%2Fleads%3Fcountry%3DSE");

        Assert.Equal("/", WebUtility.HtmlDecode(CancelLink().Match(hostile).Groups[1].Value));
        Assert.Equal("/leads?country=SE", WebUtility.HtmlDecode(CancelLink().Match(local).Groups[1].Value));
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("//evil.example")]
    public async Task Signing_in_with_a_hostile_return_url_lands_on_the_inbox(string returnUrl)
    {
        await using var app = new LeadPortalFactory();
        var client = app.CreateCookieClient();

        var signedIn = await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", new Uri(new Uri("http://localhost"), signedIn.Headers.Location!).PathAndQuery);
    }

    [Theory]
    [InlineData("/leads?q=\u3002", "/leads?q=%E3%80%82")]
    [InlineData("/leads?q=Malm\u00f6", "/leads?q=Malm%C3%B6")]
    [InlineData("/leads?q=\U0001F600", "/leads?q=%F0%9F%98%80")]
    [InlineData("/leads?q=M%C3%B6", "/leads?q=M%C3%B6")]
    public void A_local_url_outside_ascii_is_percent_encoded_as_utf8(string url, string expected)
    {
        // A Location header takes ASCII only: Kestrel refuses anything else, and the sign-in answered 500.
        Assert.Equal(expected, LocalUrl.SafeReturnUrl(url));
    }

    [Fact]
    public void A_lone_surrogate_sends_to_the_inbox()
    {
        Assert.Equal("/", LocalUrl.SafeReturnUrl("/leads?q=\ud800"));
    }

    [Fact]
    public async Task Signing_in_with_a_return_url_outside_ascii_signs_in_and_lands_there()
    {
        // On Kestrel: the test server passes any header through, Kestrel refuses one that is not ASCII.
        await using var app = new LeadPortalFactory();
        app.StartKestrel();
        var client = app.CreateCookieClient();

        // As the sign-in redirect sends it: /account/login?ReturnUrl=%2Fleads%3Fq%3D%E3%80%82
        var signedIn = await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword, "/leads?q=\u3002");
        var inbox = await client.GetAsync(signedIn.Headers.Location);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/leads?q=%E3%80%82", new Uri(new Uri("http://localhost"), signedIn.Headers.Location!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
    }

    [Fact]
    public async Task Changing_a_temporary_password_with_a_return_url_outside_ascii_lands_there()
    {
        await using var app = new LeadPortalFactory();
        app.StartKestrel();
        var client = app.CreateCookieClient();
        await app.QueryAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.MustChangePassword, true)));
        var signedIn = await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword, "/leads?q=\u3002");
        var page = new Uri(new Uri("http://localhost"), signedIn.Headers.Location!).PathAndQuery;

        var changed = await client.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "change-password",
            ["__RequestVerificationToken"] = await client.FormTokenAsync(page),
            ["Input.CurrentPassword"] = LeadPortalFactory.AdminPassword,
            ["Input.NewPassword"] = "Another-Passw0rd!",
            ["Input.ConfirmPassword"] = "Another-Passw0rd!",
        }));

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal("/leads?q=%E3%80%82", new Uri(new Uri("http://localhost"), changed.Headers.Location!).PathAndQuery);
    }

    [GeneratedRegex("<a class=\"secondary\" href=\"([^\"]*)\">Cancel</a>")]
    private static partial Regex CancelLink();
}
