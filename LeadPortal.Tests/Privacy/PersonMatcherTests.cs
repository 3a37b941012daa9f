using LeadPortal.Privacy;

namespace LeadPortal.Tests.Privacy;

public sealed class PersonMatcherTests
{
    private static readonly PersonMatcher José = PersonMatcher.For(new PersonTraits(
        "jose.muller@contoso.example", ["José Müller"], ["+46 70 123 45 67 ext. 89"], ["Quokka Widgets AB"]));

    [Theory]
    [InlineData("Mail jose.muller@contoso.example today", "Mail [erased] today")]
    [InlineData("?q=JOSE.MULLER%40contoso.example&sort=name", "?q=[erased]&sort=name")]
    [InlineData("Search: José Müller", "Search: [erased]")]
    [InlineData("?q=Jos%C3%A9+M%C3%BCller", "?q=[erased]")]
    [InlineData("?q=Jos%C3%A9%20M%C3%BCller", "?q=[erased]")]
    [InlineData("<li>Jos&#233; M&#252;ller, Quokka Widgets AB</li>", "<li>[erased], [erased]</li>")]
    [InlineData("<li>Jos&#xE9; M&#xFC;ller</li>", "<li>[erased]</li>")]
    [InlineData("Called José back", "Called [erased] back")]
    [InlineData("Mrs Müller called", "Mrs [erased] called")]
    [InlineData("Call 070-123 45 67 after lunch", "Call 07[erased] after lunch")]
    [InlineData("{\"Phone\":\"+46701234567\"}", "{\"Phone\":\"+467[erased]\"}")]
    [InlineData("(070) 123.45.67", "(07[erased]")]
    public void Every_form_of_the_person_is_blanked(string text, string expected)
    {
        Assert.Equal(expected, José.Blank(text));
    }

    [Theory]
    [InlineData("Quokka Widgets AB renewed")]                 // the company alone is not the person
    [InlineData("Josése and Müllerstraße")]                  // a name inside another word
    [InlineData("Order 7012345678 shipped")]                   // a longer number ending otherwise
    [InlineData("Order 1234567 shipped")]
    public void What_does_not_name_the_person_stays(string text)
    {
        Assert.Same(text, José.Blank(text));
    }

    [Fact]
    public void Short_names_are_blanked_whole_but_not_apart_and_a_short_number_not_at_all()
    {
        var al = PersonMatcher.For(new PersonTraits("al@contoso.example", ["Al Li"], ["12"], ["AB"]));

        Assert.Equal("[erased] said hi", al.Blank("Al Li said hi"));
        Assert.Equal("Al said 12", al.Blank("Al said 12"));
        Assert.Equal("Albert and Lisa", al.Blank("Albert and Lisa"));
        Assert.Equal("[erased]", al.Blank("al@contoso.example"));
    }
}
