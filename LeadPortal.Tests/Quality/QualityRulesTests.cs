using LeadPortal.Quality;
using LeadPortal.Shared;

namespace LeadPortal.Tests.Quality;

/// <summary>One table a rule: the cases that trip it and the ones that must not.</summary>
public sealed class QualityRulesTests
{
    /// <summary>A lead nothing speaks against: a named person at a company address with a valid number.</summary>
    private static readonly QualityInput Good = new()
    {
        FirstName = "Maja", LastName = "Lindqvist", EmailNormalized = "maja.lindqvist@fabrikam.example", EmailValidity = Validity.Valid,
        EmailDomainKind = EmailDomainKind.Company, PhoneValidity = Validity.Valid, Company = "Fabrikam", ActionCode = "INS",
    };

    private static QualityReason Reasons(QualityInput input) => QualityRules.Rate(input).Reasons;

    [Fact]
    public void A_lead_nothing_speaks_against_is_High_with_no_reason()
    {
        Assert.Equal(new QualityResult(QualityRating.High, QualityReason.None), QualityRules.Rate(Good));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Test_lead(bool isTest, bool trips) =>
        Assert.Equal(trips, Reasons(Good with { IsTest = isTest }).HasFlag(QualityReason.TestLead));

    [Theory]
    [InlineData("DNC", true)]
    [InlineData("dnc", true)]
    [InlineData("PLT", false)]
    [InlineData(null, false)]
    public void Do_not_contact(string? action, bool trips) =>
        Assert.Equal(trips, Reasons(Good with { ActionCode = action }).HasFlag(QualityReason.DoNotContact));

    [Theory]
    [InlineData(EmailDomainKind.Disposable, true)]
    [InlineData(EmailDomainKind.Freemail, false)]
    [InlineData(EmailDomainKind.Company, false)]
    [InlineData(EmailDomainKind.Unknown, false)]
    public void Disposable_domain(EmailDomainKind kind, bool trips) =>
        Assert.Equal(trips, Reasons(Good with { EmailDomainKind = kind }).HasFlag(QualityReason.DisposableDomain));

    [Theory]
    [InlineData(Validity.Invalid, true)]
    [InlineData(Validity.Valid, false)]
    [InlineData(Validity.Unknown, false)] // no address, or not checked yet: nothing known against it
    public void Invalid_email(Validity validity, bool trips) =>
        Assert.Equal(trips, Reasons(Good with { EmailValidity = validity }).HasFlag(QualityReason.InvalidEmail));

    [Theory]
    [InlineData(Validity.Invalid, true)]
    [InlineData(Validity.Valid, false)]
    [InlineData(Validity.Unknown, false)]
    public void Invalid_phone_for_the_country(Validity validity, bool trips) =>
        Assert.Equal(trips, Reasons(Good with { PhoneValidity = validity }).HasFlag(QualityReason.InvalidPhone));

    [Theory]
    [InlineData("asdf", "asdf", true)]
    [InlineData("Qwerty", "Smith", true)]
    [InlineData("fdsa", null, true)] // a run backwards
    [InlineData("Maja", "Hasdfgh", true)] // a run of five inside a word
    [InlineData("zxcvbnm", null, true)]
    [InlineData("aaaa", "bbbb", true)]
    [InlineData("123", "456", true)] // no letter at all
    [InlineData("...", null, true)]
    [InlineData("Azerty", null, true)]
    [InlineData("Maja", "Lindqvist", false)]
    [InlineData("Seán", "Doherty", false)] // "erty" inside a surname
    [InlineData("Hans", "Wertz", false)] // QWERTZ's row is not checked
    [InlineData("Anna", "Lee", false)]
    [InlineData("Aaron", "Sdf", false)] // three keys are a name, not a pattern
    [InlineData("Hiroshi", "Tanaka", false)]
    [InlineData("李", "小龍", false)]
    [InlineData(null, null, false)] // withheld: nothing to judge
    public void Keyboard_pattern_name(string? first, string? last, bool trips) =>
        Assert.Equal(trips, Reasons(Good with { FirstName = first, LastName = last }).HasFlag(QualityReason.KeyboardName));

    [Theory]
    [InlineData("maja@fabrikam.example", null, "maja@fabrikam.example", true)]
    [InlineData("x8", null, "x8@mailinator.com", true)]
    [InlineData("jsmith", "42", "jsmith42@contoso.com", true)]
    [InlineData("Maja", "Lindqvist", "maja.lindqvist@fabrikam.example", false)] // an address made of the name is normal
    [InlineData("Jo", "Smith", "jsmith42@contoso.com", false)]
    [InlineData("x8", null, null, false)]
    public void Name_repeats_the_email(string? first, string? last, string? email, bool trips) =>
        Assert.Equal(trips, Reasons(Good with { FirstName = first, LastName = last, EmailNormalized = email }).HasFlag(QualityReason.NameIsEmail));

    [Theory]
    [InlineData(null, true)]
    [InlineData("  ", true)]
    [InlineData("Fabrikam", false)]
    public void Company_missing(string? company, bool trips) =>
        Assert.Equal(trips, Reasons(Good with { Company = company }).HasFlag(QualityReason.CompanyMissing));

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(40, true)]
    public void Many_leads_from_the_same_address_within_an_hour(int leads, bool trips) =>
        Assert.Equal(trips, Reasons(Good with { SameAddressWithinHour = leads }).HasFlag(QualityReason.RepeatedAddress));

    [Theory]
    [InlineData(EmailDomainKind.Freemail, true)]
    [InlineData(EmailDomainKind.Company, false)]
    [InlineData(EmailDomainKind.Disposable, false)]
    public void Freemail_address(EmailDomainKind kind, bool trips) =>
        Assert.Equal(trips, Reasons(Good with { EmailDomainKind = kind }).HasFlag(QualityReason.FreemailAddress));

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Role_address(bool isRole, bool trips) =>
        Assert.Equal(trips, Reasons(Good with { EmailIsRole = isRole }).HasFlag(QualityReason.RoleAddress));

    [Theory]
    [InlineData(QualityReason.None, QualityRating.High)]
    [InlineData(QualityReason.FreemailAddress, QualityRating.High)] // one weak signal alone
    [InlineData(QualityReason.FreemailAddress | QualityReason.RoleAddress, QualityRating.Medium)]
    [InlineData(QualityReason.CompanyMissing, QualityRating.Medium)]
    [InlineData(QualityReason.InvalidPhone | QualityReason.CompanyMissing | QualityReason.FreemailAddress, QualityRating.Medium)]
    [InlineData(QualityReason.DisposableDomain, QualityRating.Low)]
    [InlineData(QualityReason.TestLead | QualityReason.CompanyMissing, QualityRating.Low)]
    public void One_strong_reason_makes_Low_one_moderate_or_two_weak_make_Medium(QualityReason reasons, QualityRating rating) =>
        Assert.Equal(rating, QualityRules.RatingOf(reasons));

    [Fact]
    public void A_rule_switched_off_neither_counts_nor_shows()
    {
        var spam = Good with { EmailDomainKind = EmailDomainKind.Disposable, Company = null };

        Assert.Equal(new QualityResult(QualityRating.Low, QualityReason.DisposableDomain | QualityReason.CompanyMissing), QualityRules.Rate(spam));
        Assert.Equal(new QualityResult(QualityRating.Medium, QualityReason.CompanyMissing), QualityRules.Rate(spam, QualityReason.DisposableDomain));
        Assert.Equal(new QualityResult(QualityRating.High, QualityReason.None), QualityRules.Rate(spam, QualityReason.DisposableDomain | QualityReason.CompanyMissing));
    }

    [Fact]
    public void Every_rule_has_its_own_reason_and_words()
    {
        Assert.Equal(QualityRules.All.Count, QualityRules.All.Select(r => r.Reason).Distinct().Count());
        Assert.All(QualityRules.All, r => Assert.Equal(1, System.Numerics.BitOperations.PopCount((uint)r.Reason)));
        Assert.All(QualityRules.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Says + r.Checks)));
        Assert.Equal("Throwaway mail domain; No company given", QualityRules.Words(QualityReason.CompanyMissing | QualityReason.DisposableDomain));
    }

    [Theory]
    [InlineData(null, QualityReason.None)]
    [InlineData("", QualityReason.None)]
    [InlineData("CompanyMissing", QualityReason.CompanyMissing)]
    [InlineData("CompanyMissing, FreemailAddress,Gone,7", QualityReason.CompanyMissing | QualityReason.FreemailAddress)]
    public void The_switched_off_setting_reads_rule_names_and_ignores_others(string? value, QualityReason off)
    {
        Assert.Equal(off, QualitySettings.Parse(value));
        Assert.Equal(off, QualitySettings.Parse(QualitySettings.Format(off)));
    }
}
