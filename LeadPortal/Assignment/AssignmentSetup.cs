using LeadPortal.Outbox;
using Microsoft.Extensions.Options;

namespace LeadPortal.Assignment;

public static class AssignmentSetup
{
    /// <summary>Assignment rules: the dispatcher's handler that routes new leads, the rule store, availability and the apply job.</summary>
    public static IHostApplicationBuilder AddAssignment(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AssignmentOptions.Section);
        builder.Services.AddOptions<AssignmentOptions>()
            .Bind(section)
            .PostConfigure(options => ReadListsGivenAsArrays(section, options))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ILeadEventHandler, AssignmentHandler>();
        builder.Services.AddSingleton<AssignmentRules>();
        builder.Services.AddSingleton<Availability>();
        builder.Services.AddSingleton<AssignmentJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AssignmentJob>());
        return builder;
    }

    /// <summary>Syncs the rules declared in configuration into the table (see <see cref="AssignmentRules.SyncConfigurationAsync"/>).</summary>
    public static async Task EnsureAssignmentRulesAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AssignmentOptions>>().Value;
        await app.Services.GetRequiredService<AssignmentRules>().SyncConfigurationAsync(options);
    }

    /// <summary>
    /// The lists are text (<c>PLT,INS</c>), but a JSON file may give an array (<c>["PLT", "INS"]</c>): the binder leaves a
    /// string property null for that, which would match every action instead of the ones named.
    /// </summary>
    private static void ReadListsGivenAsArrays(IConfigurationSection section, AssignmentOptions options)
    {
        for (var i = 0; i < options.Rules.Count; i++)
        {
            if (options.Rules[i] is not { } rule)
            {
                continue;
            }

            var declared = section.GetSection($"Rules:{i}");
            string? Joined(string key) => declared.GetSection(key).GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)) is var values && values.Any()
                ? string.Join(",", values)
                : null;
            rule.Actions ??= Joined(nameof(rule.Actions));
            rule.Offers ??= Joined(nameof(rule.Offers));
            rule.Countries ??= Joined(nameof(rule.Countries));
            rule.Sources ??= Joined(nameof(rule.Sources));
            rule.Users ??= Joined(nameof(rule.Users));
        }
    }
}
