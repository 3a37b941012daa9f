using System.ComponentModel.DataAnnotations;

namespace LeadPortal.Data;

public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary><c>Sqlite</c> (the default: one file under App_Data) or <c>Postgres</c>; the connection string is <c>ConnectionStrings:LeadPortal</c>.</summary>
    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>Health reports the store unhealthy when the disk holding the database has less free space than this.</summary>
    [Range(0, 10_000_000)]
    public int MinFreeDiskMegabytes { get; set; } = 256;

    /// <summary>The provider, read before the options exist (it decides which services are registered).</summary>
    public static StoreProvider ProviderFrom(IConfiguration configuration)
    {
        var value = configuration[$"{Section}:{nameof(Provider)}"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return StoreProvider.Sqlite;
        }

        return Enum.TryParse<StoreProvider>(value.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"Store:Provider is '{value}'; it must be Sqlite or Postgres.");
    }
}
