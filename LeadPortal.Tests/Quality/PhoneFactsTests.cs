using LeadPortal.Quality;
using LeadPortal.Shared;

namespace LeadPortal.Tests.Quality;

public sealed class PhoneFactsTests
{
    /// <summary>Numbers as people type them into Partner Center's form, read with the lead's country.</summary>
    public static TheoryData<string, string, string, string, string?, PhoneType> ValidNumbers() => new()
    {
        // raw, country, E.164, national, extension, type
        { "070-123 45 67", "SE", "+46701234567", "070-123 45 67", null, PhoneType.Mobile },
        { "+46 70 123 45 67", "SE", "+46701234567", "070-123 45 67", null, PhoneType.Mobile },
        { "0046 70 123 45 67", "SE", "+46701234567", "070-123 45 67", null, PhoneType.Mobile },
        { "+1 425 555 0100 ext. 123", "US", "+14255550100", "(425) 555-0100", "123", PhoneType.FixedLineOrMobile },
        { "(425) 555-0100 x45", "US", "+14255550100", "(425) 555-0100", "45", PhoneType.FixedLineOrMobile },
        { "425.555.0100", "US", "+14255550100", "(425) 555-0100", null, PhoneType.FixedLineOrMobile },
        // A leading 00 from a country that dials 011 abroad: taken as the international prefix it is meant as.
        { "0046 70 123 45 67", "US", "+46701234567", "070-123 45 67", null, PhoneType.Mobile },
        { "030 123456", "DE", "+4930123456", "030 123456", null, PhoneType.FixedLine },
        { "0151 23456789", "DE", "+4915123456789", "01512 3456789", null, PhoneType.Mobile },
        { "020 7946 0958", "GB", "+442079460958", "020 7946 0958", null, PhoneType.FixedLine },
        { "07400 123456", "GB", "+447400123456", "07400 123456", null, PhoneType.Mobile },
        { "01 23 45 67 89", "FR", "+33123456789", "01 23 45 67 89", null, PhoneType.FixedLine },
        { "06.12.34.56.78", "FR", "+33612345678", "06 12 34 56 78", null, PhoneType.Mobile },
        { "090-1234-5678", "JP", "+819012345678", "090-1234-5678", null, PhoneType.Mobile },
        { "98765 43210", "IN", "+919876543210", "098765 43210", null, PhoneType.Mobile },
        { "0803 123 4567", "NG", "+2348031234567", "0803 123 4567", null, PhoneType.Mobile },
        { "(11) 96123-4567", "BR", "+5511961234567", "(11) 96123-4567", null, PhoneType.Mobile },
        { "0412 345 678", "AU", "+61412345678", "0412 345 678", null, PhoneType.Mobile },
        { "087 123 4567", "IE", "+353871234567", "087 123 4567", null, PhoneType.Mobile },
        { "612 345 678", "ES", "+34612345678", "612 34 56 78", null, PhoneType.Mobile },
        { "(416) 555-0199", "CA", "+14165550199", "(416) 555-0199", null, PhoneType.FixedLineOrMobile },
        { "06 12345678", "NL", "+31612345678", "06 12345678", null, PhoneType.Mobile },
        // A number with its country code needs no country on the lead.
        { "+49 30 123456", "", "+4930123456", "030 123456", null, PhoneType.FixedLine },
        { "+44 20 7946 0958;ext=7", "ZZ", "+442079460958", "020 7946 0958", "7", PhoneType.FixedLine },
    };

    [Theory]
    [MemberData(nameof(ValidNumbers))]
    public void A_number_is_read_with_the_leads_country(string raw, string country, string e164, string national, string? extension, PhoneType type)
    {
        var facts = PhoneFacts.Parse(raw, country.Length == 0 ? null : country);

        Assert.Equal(new PhoneFacts(Validity.Valid, e164, national, extension, type), facts);
    }

    [Theory]
    [InlineData("070-123 45", "SE")] // too short
    [InlineData("+46 70 123 45 67 89 01", "SE")] // too long
    [InlineData("555 0100", "US")] // no area code
    [InlineData("+1 123 456 7890", "US")] // area codes never start with 1
    [InlineData("1234567890", "US")] // Partner Center's validation lead
    [InlineData("070-123 45 67", null)] // national, and no country to read it by
    [InlineData("070-123 45 67", "Narnia")] // a country intake did not know stays as sent
    [InlineData("call me", "SE")]
    [InlineData("n/a", "US")]
    [InlineData("+", "SE")]
    [InlineData("\0", "SE")]
    [InlineData("070\uFFFD123 45 67", "SE")] // what intake makes of a lone surrogate escape
    public void A_number_that_cannot_be_dialled_is_invalid_and_has_no_derived_forms(string raw, string? country)
    {
        Assert.Equal(PhoneFacts.Invalid, PhoneFacts.Parse(raw, country));
    }

    [Fact]
    public void A_lone_surrogate_makes_a_number_invalid()
    {
        Assert.Equal(PhoneFacts.Invalid, PhoneFacts.Parse("070" + (char)0xD800 + "123 45 67", "SE"));
    }

    [Fact]
    public void A_300_character_phone_is_invalid()
    {
        Assert.Equal(Validity.Invalid, PhoneFacts.Parse(new string('1', 300), "US").Validity);
        Assert.Equal(Validity.Invalid, PhoneFacts.Parse("+46 70 123 45 67" + new string(' ', 290), "SE").Validity);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_number_is_unknown(string? raw)
    {
        Assert.Equal(PhoneFacts.None, PhoneFacts.Parse(raw, "SE"));
    }

    [Theory]
    [InlineData("+14255550100", "123", "tel:+14255550100;ext=123")]
    [InlineData("+46701234567", null, "tel:+46701234567")]
    [InlineData("+46701234567", "", "tel:+46701234567")]
    public void A_tel_link_keeps_the_extension_as_a_parameter(string e164, string? extension, string expected)
    {
        Assert.Equal(expected, PhoneFacts.TelUri(e164, extension));
    }

    [Theory]
    [InlineData("+46701234567", "+46 70 123 45 67")]
    [InlineData("+14255550100", "+1 425-555-0100")]
    [InlineData("not a number", "not a number")]
    public void The_international_form_is_for_people_in_any_country(string e164, string expected)
    {
        Assert.Equal(expected, PhoneFacts.International(e164));
    }
}
