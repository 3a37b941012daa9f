using LeadPortal.Mapping;

namespace LeadPortal.Tests.Mapping;

public sealed class TextTransformsTests
{
    [Fact]
    public void Trim_removes_surrounding_whitespace_including_non_breaking_spaces() =>
        Assert.Equal("Maja", TextTransforms.Trim(" \t\u00A0Maja \r\n"));

    [Fact]
    public void Upper_uses_invariant_casing() => Assert.Equal("ÓSCAR", TextTransforms.Upper("óscar"));

    [Fact]
    public void Upper_does_not_apply_turkish_casing_to_i() => Assert.Equal("INFO", TextTransforms.Upper("info"));

    [Fact]
    public void Lower_uses_invariant_casing() => Assert.Equal("tomás ó briain", TextTransforms.Lower("TOMÁS Ó BRIAIN"));

    [Theory]
    [InlineData("ó briain", "Ó Briain")]
    [InlineData("maja lindqvist", "Maja Lindqvist")]
    [InlineData("MAJA LINDQVIST", "Maja Lindqvist")]
    [InlineData("anna-lena", "Anna-Lena")]
    [InlineData("", "")]
    public void TitleCase_capitalises_each_word(string input, string expected) =>
        Assert.Equal(expected, TextTransforms.TitleCase(input));

    [Fact]
    public void Truncate_cuts_to_the_maximum_length() => Assert.Equal("Fabri", TextTransforms.Truncate("Fabrikam AB", 5));

    [Fact]
    public void Truncate_leaves_shorter_text_alone() => Assert.Equal("Adatum", TextTransforms.Truncate("Adatum", 50));

    [Fact]
    public void Truncate_counts_utf16_units_and_never_splits_a_surrogate_pair()
    {
        Assert.Equal("a😀", TextTransforms.Truncate("a😀b", 3));
        Assert.Equal("a", TextTransforms.Truncate("a😀b", 2));
        Assert.Equal("a", TextTransforms.Truncate("a😀b", 1));
    }

    [Fact]
    public void Truncate_keeps_a_combining_accent_with_its_letter_or_drops_both() =>
        Assert.Equal("T", TextTransforms.Truncate("Ta\u0301naka", 2));

    [Theory]
    [InlineData("👨‍👩‍👧‍👦 Family", 10, "")]           // one grapheme of 11 units
    [InlineData("👨‍👩‍👧‍👦 Family", 11, "👨‍👩‍👧‍👦")]
    [InlineData("नमस्ते दुनिया", 4, "नमस्")]            // न म स् ते: the virama stays with its consonant
    [InlineData("नमस्ते दुनिया", 3, "नम")]
    [InlineData("สวัสดีครับ", 3, "สวั")]              // ส วั: the vowel sign stays with its consonant
    [InlineData("สวัสดีครับ", 2, "ส")]
    public void Truncate_fits_the_crm_count_and_cuts_back_to_a_whole_grapheme(string value, int length, string expected)
    {
        var cut = TextTransforms.Truncate(value, length);

        Assert.Equal(expected, cut);
        Assert.True(cut.Length <= length);
    }

    [Theory]
    [InlineData("+46 8 555 0101", "+4685550101")]
    [InlineData("(415) 555-0123", "4155550123")]
    [InlineData("  +1 (415) 555-0123 ext. 9", "+14155550123")]
    [InlineData("+1 425 555 0100 x123", "+14255550100")]
    [InlineData("+44 20 7946 0958;ext=7", "+442079460958")]
    [InlineData("00 46 8 555 0101", "004685550101")]
    [InlineData("46+8", "468")]
    [InlineData("+", "")]
    [InlineData("n/a", "")]
    [InlineData("０１２３", "0123")]
    public void DigitsOnlyPhone_keeps_digits_and_a_leading_plus_and_drops_an_extension(string input, string expected) =>
        Assert.Equal(expected, TextTransforms.DigitsOnlyPhone(input));

    [Theory]
    [InlineData("Sweden", "SE")]
    [InlineData("sweden", "SE")]
    [InlineData("SE", "SE")]
    [InlineData("se", "SE")]
    [InlineData("SWE", "SE")]
    [InlineData(" United States of America ", "US")]
    [InlineData("United States", "US")]
    [InlineData("usa", "US")]
    [InlineData("Ireland", "IE")]
    [InlineData("Cote d'Ivoire", "CI")]
    [InlineData("Côte d’Ivoire", "CI")]
    [InlineData("Korea, Republic of", "KR")]
    [InlineData("UK", "GB")]
    [InlineData("Atlantis", "Atlantis")]
    [InlineData("", "")]
    public void CountryToIso2_maps_names_and_codes_to_the_alpha2_code(string input, string expected) =>
        Assert.Equal(expected, TextTransforms.CountryToIso2(input));

    [Theory]
    [InlineData("SE", "Sweden")]
    [InlineData("US", "United States")]
    [InlineData("us", "United States")]
    [InlineData("IE", "Ireland")]
    [InlineData("JP", "Japan")]
    [InlineData("NG", "Nigeria")]
    [InlineData("IN", "India")]
    [InlineData("GBR", "United Kingdom")]
    [InlineData("Viet Nam", "Vietnam")]
    [InlineData("sweden", "Sweden")]
    [InlineData("XX", "XX")]
    [InlineData("Narnia", "Narnia")]
    public void CountryToName_maps_codes_and_names_to_the_english_short_name(string input, string expected) =>
        Assert.Equal(expected, TextTransforms.CountryToName(input));
}
