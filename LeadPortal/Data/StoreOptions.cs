using System.ComponentModel.DataAnnotations;

namespace LeadPortal.Data;

public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary>Health reports the store unhealthy when the disk holding the database has less free space than this.</summary>
    [Range(0, 10_000_000)]
    public int MinFreeDiskMegabytes { get; set; } = 256;
}
