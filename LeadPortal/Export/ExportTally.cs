namespace LeadPortal.Export;

/// <summary>Which leads an export wrote, and which it left out because the CRM would refuse them.</summary>
public sealed class ExportTally
{
    /// <summary>How many skipped leads are listed by id; beyond that they are only counted.</summary>
    public const int MaxListedSkipped = 1_000;

    private readonly List<long> _skipped = [];

    /// <summary>The ids of the leads written, in file order (8 bytes a lead: all an export holds in memory).</summary>
    public List<long> Written { get; } = [];

    public int SkippedCount { get; private set; }

    /// <summary>The first <see cref="MaxListedSkipped"/> skipped leads.</summary>
    public IReadOnlyList<long> Skipped => _skipped;

    public void Write(long leadId) => Written.Add(leadId);

    public void Skip(long leadId)
    {
        SkippedCount++;
        if (_skipped.Count < MaxListedSkipped)
        {
            _skipped.Add(leadId);
        }
    }
}
