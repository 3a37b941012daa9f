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
    [InlineData(" +46 8 555 0101")]
    public void A_plain_phone_number_or_number_is_left_unchanged(string value) =>
        Assert.Equal(value, SpreadsheetSafety.Neutralize(value));

    [Theory]
    [InlineData("")]
    [InlineData("Maja")]
    [InlineData("a=b")]
    [InlineData("Open - Not Contacted")]
    [InlineData("'already quoted")]
    [InlineData("Ó Briain & Søn – 日本語 😀")]
    [InlineData("line 1\r\nline 2\tend")]
    public void Text_that_does_not_start_with_a_formula_character_is_left_unchanged(string value) =>
        Assert.Equal(value, SpreadsheetSafety.Neutralize(value));

    // LibreOffice Calc drops a NUL and then runs the rest as a formula; other control characters are skipped or refused
    // by other importers. None of them means anything in a lead field.
    [Theory]
    [InlineData("\u0000=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("\u0000\u0000=1+1", "'=1+1")]
    [InlineData("\u0001=1+1", "'=1+1")]
    [InlineData("\u001b@cmd", "'@cmd")]
    [InlineData("\u007f+cmd", "'+cmd")]
    [InlineData("\u0085=1+1", "'=1+1")]
    [InlineData("\u009f-2+3", "'-2+3")]
    [InlineData("\u0000 =1+1", "' =1+1")]
    [InlineData("=\u00001", "'=1")]
    public void Control_characters_are_removed_before_the_formula_check(string value, string expected) =>
        Assert.Equal(expected, SpreadsheetSafety.Neutralize(value));

    [Theory]
    [InlineData("Ma\u0000ja", "Maja")]
    [InlineData("\u0000", "")]
    [InlineData("a\u0001b\u0008c\u000bd\u000ce\u001ff\u007fg\u0080h\u009fi", "abcdefghi")]
    [InlineData("tab\tand\r\nline breaks stay", "tab\tand\r\nline breaks stay")]
    [InlineData("\u0000-5", "-5")]
    public void Control_characters_other_than_tab_and_line_breaks_are_removed_everywhere(string value, string expected) =>
        Assert.Equal(expected, SpreadsheetSafety.Neutralize(value));

    // A spreadsheet that trims cells on import (LibreOffice's "Trim spaces") would otherwise run " =1+1".
    [Theory]
    [InlineData(" =1+1", "' =1+1")]
    [InlineData("   @cmd", "'   @cmd")]
    [InlineData("\n=1+1", "'\n=1+1")]
    [InlineData("\u00a0+cmd", "'\u00a0+cmd")]
    [InlineData("\u3000=1+1", "'\u3000=1+1")]
    [InlineData(" - Open", "' - Open")]
    public void A_formula_after_leading_spaces_or_line_breaks_gets_a_leading_single_quote(string value, string expected) =>
        Assert.Equal(expected, SpreadsheetSafety.Neutralize(value));

    [Theory]
    [InlineData("\u0000=cmd", true)]
    [InlineData(" =cmd", true)]
    [InlineData("=cmd", true)]
    [InlineData("Email", false)]
    [InlineData("+46 8", false)]
    public void Needs_neutralizing_says_whether_a_quote_would_be_added(string value, bool expected) =>
        Assert.Equal(expected, SpreadsheetSafety.NeedsNeutralizing(value));
}
