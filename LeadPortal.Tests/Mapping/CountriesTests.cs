using LeadPortal.Mapping;
using LeadPortal.Shared;

namespace LeadPortal.Tests.Mapping;

public sealed class CountriesTests
{
    [Fact]
    public void The_table_has_every_iso_3166_1_entry_once()
    {
        Assert.Equal(249, Countries.All.Count);
        Assert.Equal(249, Countries.All.Select(c => c.Alpha2).Distinct().Count());
        Assert.Equal(249, Countries.All.Select(c => c.Alpha3).Distinct().Count());
        Assert.Equal(249, Countries.All.Select(c => c.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Codes_are_upper_case_ascii_letters_of_the_right_length()
    {
        Assert.All(Countries.All, c =>
        {
            Assert.Matches("^[A-Z]{2}$", c.Alpha2);
            Assert.Matches("^[A-Z]{3}$", c.Alpha3);
        });
    }

    [Fact]
    public void Every_country_is_found_by_its_own_codes_and_names()
    {
        Assert.All(Countries.All, c =>
        {
            foreach (var text in new[] { c.Alpha2, c.Alpha3, c.Name, c.Name.ToUpperInvariant() }.Concat(c.Aliases))
            {
                Assert.True(Countries.TryFind(text, out var found), text);
                Assert.Same(c, found);
            }
        });
    }

    [Fact]
    public void Territories_and_recent_names_are_included()
    {
        Assert.Equal("Åland Islands", Countries.ToName("AX"));
        Assert.Equal("Türkiye", Countries.ToName("Turkey"));
        Assert.Equal("Eswatini", Countries.ToName("SZ"));
        Assert.Equal("North Macedonia", Countries.ToName("MKD"));
        Assert.Equal("Curaçao", Countries.ToName("CW"));
    }
}
