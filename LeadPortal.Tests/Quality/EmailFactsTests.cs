using LeadPortal.Quality;
using LeadPortal.Shared;

namespace LeadPortal.Tests.Quality;

public sealed class EmailFactsTests
{
    [Theory]
    [InlineData("maja.lindqvist@fabrikam.example", "maja.lindqvist@fabrikam.example")]
    [InlineData("  Maja.Lindqvist@Fabrikam.EXAMPLE ", "maja.lindqvist@fabrikam.example")]
    [InlineData("first+tag@contoso.com", "first+tag@contoso.com")]
    [InlineData("o'brien@contoso.ie", "o'brien@contoso.ie")]
    [InlineData("a!#$%&'*+-/=?^_`{|}~z@contoso.com", "a!#$%&'*+-/=?^_`{|}~z@contoso.com")]
    [InlineData("\"john doe\"@contoso.com", "\"john doe\"@contoso.com")]
    [InlineData("\"john..doe\"@contoso.com", "\"john..doe\"@contoso.com")]
    [InlineData("\"a\\\"b\"@contoso.com", "\"a\\\"b\"@contoso.com")]
    [InlineData("josé@bücher.example", "josé@xn--bcher-kva.example")]
    [InlineData("jose@xn--bcher-kva.example", "jose@xn--bcher-kva.example")]
    [InlineData("info@例え.jp", "info@xn--r8jz45g.jp")]
    [InlineData("user@sub.domain-with-hyphen.co.uk", "user@sub.domain-with-hyphen.co.uk")]
    [InlineData("x@a.io", "x@a.io")]
    public void An_address_a_mail_server_takes_is_valid_and_normalised_for_matching(string raw, string normalized)
    {
        var facts = EmailFacts.Parse(raw);

        Assert.Equal(Validity.Valid, facts.Validity);
        Assert.Equal(normalized, facts.Normalized);
    }

    [Theory]
    [InlineData("plainaddress")]
    [InlineData("@@")]
    [InlineData("a@@contoso.com")]
    [InlineData("@contoso.com")]
    [InlineData("maja@")]
    [InlineData("maja.@contoso.com")] // a dot ends the local part
    [InlineData(".maja@contoso.com")]
    [InlineData("ma..ja@contoso.com")]
    [InlineData("maja@contoso.com.")] // a trailing dot
    [InlineData("maja@contoso..com")]
    [InlineData("maja@localhost")] // a domain needs a dot
    [InlineData("maja@contoso.123")]
    [InlineData("maja@-contoso.com")]
    [InlineData("maja@contoso_ab.com")]
    [InlineData("maja@[192.0.2.1]")]
    [InlineData("maja lindqvist@contoso.com")]
    [InlineData("\"unclosed@contoso.com")]
    [InlineData("\"a\"b\"@contoso.com")]
    [InlineData("ma\0ja@contoso.com")]
    [InlineData("ma\uFFFDja@contoso.com")] // what intake makes of a lone surrogate escape
    [InlineData("maja@contoso.com\u0007")]
    public void An_address_no_mail_server_takes_is_invalid_and_matched_as_it_came(string raw)
    {
        var facts = EmailFacts.Parse(raw);

        Assert.Equal(Validity.Invalid, facts.Validity);
        Assert.Equal(raw.Trim().ToLowerInvariant(), facts.Normalized);
        Assert.False(facts.IsRole);
    }

    [Fact]
    public void A_lone_surrogate_makes_an_address_invalid()
    {
        // Built at run time: an attribute's string cannot hold one.
        Assert.Equal(Validity.Invalid, EmailFacts.Parse("ma" + (char)0xD800 + "ja@contoso.com").Validity);
        Assert.Equal(Validity.Invalid, EmailFacts.Parse("maja@contoso.co" + (char)0xDC00).Validity);
        Assert.Equal(Validity.Valid, EmailFacts.Parse("ma\U0001F600ja@contoso.com").Validity);
    }

    [Fact]
    public void Lengths_are_those_of_RFC_5321()
    {
        Assert.Equal(Validity.Valid, EmailFacts.Parse(new string('a', 64) + "@contoso.com").Validity);
        Assert.Equal(Validity.Invalid, EmailFacts.Parse(new string('a', 65) + "@contoso.com").Validity);
        // 64 bytes, not characters: é is two.
        Assert.Equal(Validity.Invalid, EmailFacts.Parse(new string('é', 33) + "@contoso.com").Validity);
        Assert.Equal(Validity.Invalid, EmailFacts.Parse("a@" + new string('b', 64) + ".com").Validity);
        Assert.Equal(Validity.Invalid, EmailFacts.Parse("a@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 5)) + ".com").Validity);
        Assert.Equal(Validity.Invalid, EmailFacts.Parse(new string('@', 300)).Validity);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void No_address_is_unknown(string? raw)
    {
        Assert.Equal(EmailFacts.None, EmailFacts.Parse(raw));
    }

    [Theory]
    [InlineData("info@contoso.com", true)]
    [InlineData("Sales@contoso.com", true)]
    [InlineData("noreply@contoso.com", true)]
    [InlineData("no-reply@contoso.com", true)]
    [InlineData("no_reply+leads@contoso.com", true)]
    [InlineData("do.not.reply@contoso.com", true)]
    [InlineData("support@contoso.com", true)]
    [InlineData("information@contoso.com", false)]
    [InlineData("maja.info@contoso.com", false)]
    [InlineData("salesforce.admin.maja@contoso.com", false)]
    [InlineData("\"info\"@contoso.com", false)]
    public void A_shared_mailbox_is_flagged_as_a_role_address(string raw, bool isRole)
    {
        Assert.Equal(isRole, EmailFacts.Parse(raw).IsRole);
    }

    [Theory]
    [InlineData("josé@xn--bcher-kva.example", "josé@bücher.example")]
    [InlineData("info@xn--r8jz45g.jp", "info@例え.jp")]
    [InlineData("maja@fabrikam.example", "maja@fabrikam.example")]
    [InlineData("maja@xn--.example", "maja@xn--.example")]
    [InlineData("no address", "no address")]
    public void An_internationalised_domain_is_shown_in_its_own_script(string email, string shown)
    {
        Assert.Equal(shown, EmailFacts.Display(email));
    }

    [Fact]
    public void A_person_is_found_in_the_form_leads_stored_before_punycode_keep()
    {
        Assert.Equal(["josé@xn--bcher-kva.example", "josé@bücher.example"], EmailFacts.MatchForms("josé@xn--bcher-kva.example"));
        Assert.Equal(["maja@fabrikam.example"], EmailFacts.MatchForms("maja@fabrikam.example"));
    }

    [Theory]
    [InlineData("maja@contoso.com", EmailDomainKind.Company, "contoso.com")]
    [InlineData("Maja@Mail.Contoso.COM", EmailDomainKind.Company, "mail.contoso.com")]
    [InlineData("josé@bücher.example", EmailDomainKind.Company, "xn--bcher-kva.example")]
    [InlineData("maja.lindqvist@gmail.com", EmailDomainKind.Freemail, null)]
    [InlineData("maja@GMAIL.com", EmailDomainKind.Freemail, null)]
    [InlineData("x8@mailinator.com", EmailDomainKind.Disposable, null)]
    [InlineData("x8@eu.mailinator.com", EmailDomainKind.Disposable, null)]
    [InlineData("x8@mailinator.com.", EmailDomainKind.Unknown, null)] // invalid: a trailing dot
    [InlineData("@@", EmailDomainKind.Unknown, null)]
    public void A_valid_address_has_a_company_domain_unless_its_provider_is_free_or_disposable(string raw, EmailDomainKind kind, string? company)
    {
        var facts = EmailFacts.Parse(raw);

        Assert.Equal((kind, company), (facts.DomainKind, facts.CompanyDomain));
    }
}
