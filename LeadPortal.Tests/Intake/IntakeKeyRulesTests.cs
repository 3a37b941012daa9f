using LeadPortal.Intake;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadPortal.Tests.Intake;

public sealed class IntakeKeyRulesTests
{
    [Theory]
    [InlineData("x")]
    [InlineData("lpk_short-but-not-short-enough")]
    public void A_short_bootstrap_key_stops_the_start_with_a_message_that_says_why(string key)
    {
        using var app = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?> { ["Intake:BootstrapKey"] = key });

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Intake:BootstrapKey must be at least 32 characters", error.Message);
    }

    [Fact]
    public async Task Nothing_of_a_chosen_key_is_stored_or_shown_and_a_generated_key_shows_only_its_first_random_characters()
    {
        await using var app = new LeadPortalFactory();
        var store = app.Services.GetRequiredService<IntakeKeyStore>();

        var generated = await store.CreateAsync("Generated");

        var keys = await app.QueryAsync(db => db.IntakeKeys.ToDictionaryAsync(k => k.Name, k => k.Prefix));
        Assert.Equal("", keys["Bootstrap key (Intake:BootstrapKey)"]);
        Assert.Equal(generated.Secret[..8], keys["Generated"]);
        Assert.StartsWith(IntakeKeyStore.KeyPrefix, keys["Generated"]);
    }
}
