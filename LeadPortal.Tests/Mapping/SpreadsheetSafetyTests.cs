using LeadPortal.Mapping;

namespace LeadPortal.Tests.Mapping;

public sealed class SpreadsheetSafetyTests
{
    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("=1", "'=1")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("+46 8 555 0101x", "'+46 8 555 0101x")]
    [InlineData("-5\n", "'-5\n")]
    [InlineData("-", "'-")]
    [InlineData("+", "'+")]
    [InlineData("- Open", "'- Open")]
    [InlineData("+٣", "'+٣")]
    public void A_possible_formula_gets_a_leading_single_quote(string value, string expected) =>
        Assert.Equal(expected, SpreadsheetSafety.Neutralize(value));

    [Theory]
    [InlineData("+46 8 555 0101")]
    [InlineData("+1 (415) 555-0123")]
    [InlineData("-5")]
    [InlineData("-0.25")]
    [InlineData("+353 1 555 0199")]
    [InlineData("-12/04/2026")]
    public void A_plain_phone_number_or_number_is_left_unchanged(string value) =>
        Assert.Equal(value, SpreadsheetSafety.Neutralize(value));

    [Theory]
    [InlineData("")]
    [InlineData("Maja")]
    [InlineData("a=b")]
    [InlineData("Open - Not Contacted")]
    [InlineData("'already quoted")]
    public void Text_that_does_not_start_with_a_formula_character_is_left_unchanged(string value) =>
        Assert.Equal(value, SpreadsheetSafety.Neutralize(value));
}
