namespace LeadPortal.Tests.Infrastructure;

/// <summary>The sample deliveries in Samples/ (copied from the shared samples; see Samples/README.md).</summary>
public static class SampleLeads
{
    public static readonly string[] Names =
    [
        "marketplace-install", "appsource-contact-me", "portal-create", "test-drive",
        "do-not-contact", "microsoft-test-lead", "pii-withheld",
    ];

    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name + ".json"));

    public static byte[] ReadBytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", name + ".json"));

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names)
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>A sample with a unique extra property first, so it is never a redelivery of another test's lead.</summary>
    public static string Tagged(string name)
    {
        var body = Read(name);
        var brace = body.IndexOf('{');
        return body[..(brace + 1)] + $"\"TestRun\": \"{Guid.NewGuid():N}\"," + body[(brace + 1)..];
    }

    /// <summary>A sample with a unique email, so it is never a redelivery of another test's lead.</summary>
    public static string Unique(string name = "marketplace-install")
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        return Read(name).Replace("@fabrikam.example", $"+{tag}@fabrikam.example", StringComparison.Ordinal)
            .Replace("\"Description\": \"Customer selected Get It Now\"", $"\"Description\": \"Get It Now {tag}\"", StringComparison.Ordinal);
    }
}
