using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadPortal.Tests.Intake;

/// <summary>On SQLite; <see cref="IntakeKeyRulesPostgresTests"/> runs the same on PostgreSQL.</summary>
public class IntakeKeyRulesTests : StoreAppTests
{
    public IntakeKeyRulesTests() : base(StoreProvider.Sqlite)
    {
    }

    protected IntakeKeyRulesTests(StoreProvider provider) : base(provider)
    {
    }

    [StoreTheory]
    [InlineData("x")]
    [InlineData("lpk_short-but-not-short-enough")]
    public void A_short_bootstrap_key_stops_the_start_with_a_message_that_says_why(string key)
    {
        using var app = NewApp(new Dictionary<string, string?> { ["Intake:BootstrapKey"] = key });

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Intake:BootstrapKey must be at least 32 characters", error.Message);
    }

    [StoreFact]
    public async Task Nothing_of_a_chosen_key_is_stored_or_shown_and_a_generated_key_shows_only_its_first_random_characters()
    {
        await using var app = NewApp();
        var store = app.Services.GetRequiredService<IntakeKeyStore>();

        var generated = await store.CreateAsync("Generated");

        var keys = await app.QueryAsync(db => db.IntakeKeys.ToDictionaryAsync(k => k.Name, k => k.Prefix));
        Assert.Equal("", keys["Bootstrap key (Intake:BootstrapKey)"]);
        Assert.Equal(generated.Secret[..8], keys["Generated"]);
        Assert.StartsWith(IntakeKeyStore.KeyPrefix, keys["Generated"]);
    }
}

[PostgresStore]
public sealed class IntakeKeyRulesPostgresTests() : IntakeKeyRulesTests(StoreProvider.Postgres);
