using System.Net;
using LeadPortal.Accounts;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace LeadPortal.Tests.Accounts;

public sealed class ChangePasswordPageTests
{
    [Fact]
    public async Task The_password_rules_are_on_the_page_before_anything_is_typed_and_name_the_new_password_field()
    {
        await using var app = new LeadPortalFactory();
        var client = app.CreateCookieClient();
        await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);

        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/account/change-password"));

        Assert.Contains("<small class=\"field-hint\" id=\"password-rules\">At least 10 characters, with an upper-case letter, a lower-case letter and a digit.</small>", page);
        Assert.Matches("id=\"new-password\"[^>]*aria-describedby=\"password-rules\"|aria-describedby=\"password-rules\"[^>]*id=\"new-password\"", page);
    }

    [Theory]
    [InlineData(8, false, false, true, false, 1, "At least 8 characters, with a digit.")]
    [InlineData(12, true, true, true, true, 4, "At least 12 characters, with an upper-case letter, a lower-case letter, a digit and a symbol, of which 4 different.")]
    [InlineData(6, false, false, false, false, 1, "At least 6 characters.")]
    public void The_rules_are_written_from_Identitys_options(int length, bool upper, bool lower, bool digit, bool symbol, int unique, string expected)
    {
        var rules = new PasswordOptions
        {
            RequiredLength = length, RequireUppercase = upper, RequireLowercase = lower, RequireDigit = digit,
            RequireNonAlphanumeric = symbol, RequiredUniqueChars = unique,
        };

        Assert.Equal(expected, ChangePassword.PasswordRules(rules));
    }
}
