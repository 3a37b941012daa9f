using LeadPortal.Leads;

namespace LeadPortal.Mapping;

/// <param name="Problems">What a CRM import would reject the row for: empty required columns, values kept whole over their length.</param>
public sealed record PreviewRow(long LeadId, string Name, string[] Values, IReadOnlyList<string> Problems);

public sealed record MappingPreviewResult(string[] Headers, IReadOnlyList<PreviewRow> Rows, IReadOnlyList<PreviewRow> Incomplete, int Checked, int IncompleteCount, bool CheckedAll);

/// <summary>
/// The editor's preview: the first rows of an inbox filter exactly as they would export, and a check of the
/// leads an export would hold for what a CRM would refuse, before anything is exported. Which leads an export holds
/// is the export's business: <c>Export/ExportPreview</c> implements this, so Mapping needs nothing from Export.
/// </summary>
public abstract class MappingPreview
{
    public const int PreviewRows = 20;
    public const int MaxChecked = 10_000;
    public const int MaxListed = 100;

    public abstract Task<MappingPreviewResult> RunAsync(CompiledMapping mapping, LeadFilter filter, TimeZoneInfo zone, CancellationToken cancellationToken = default);
}
