using LeadPortal.Data;
using LeadPortal.Export;
using LeadPortal.Leads;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Mapping;

/// <param name="Problems">What a CRM import would reject the row for: empty required columns, values kept whole over their length.</param>
public sealed record PreviewRow(long LeadId, string Name, string[] Values, IReadOnlyList<string> Problems);

public sealed record MappingPreviewResult(string[] Headers, IReadOnlyList<PreviewRow> Rows, IReadOnlyList<PreviewRow> Incomplete, int Checked, int IncompleteCount, bool CheckedAll);

/// <summary>
/// The editor's preview: the first rows of an inbox filter exactly as they would export, and a check of the
/// leads an export would hold for missing required values, before anything is exported.
/// </summary>
public sealed class MappingPreview(IDbContextFactory<LeadPortalDbContext> dbFactory)
{
    public const int PreviewRows = 20;
    public const int MaxChecked = 10_000;
    public const int MaxListed = 100;

    public async Task<MappingPreviewResult> RunAsync(CompiledMapping mapping, LeadFilter filter, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var request = new ExportRequest(0, filter, zone, OnlyNew: false);
        var preview = new List<PreviewRow>();
        var incomplete = new List<PreviewRow>();
        int checkedCount = 0, incompleteCount = 0;
        await foreach (var row in ExportService.Rows(db, ExportService.Select(db, request, mapping).Take(MaxChecked + 1), mapping).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (checkedCount == MaxChecked)
            {
                return new MappingPreviewResult(mapping.Headers, preview, incomplete, checkedCount, incompleteCount, CheckedAll: false);
            }

            checkedCount++;
            var mapped = mapping.Map(row);
            var name = string.Join(' ', new[] { row.FirstName, row.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
            var previewRow = new PreviewRow(row.Id, name.Length > 0 ? name : row.Company ?? $"Lead {row.Id}", mapped.Values, mapped.Problems);
            if (preview.Count < PreviewRows)
            {
                preview.Add(previewRow);
            }

            if (!mapped.IsComplete)
            {
                incompleteCount++;
                if (incomplete.Count < MaxListed)
                {
                    incomplete.Add(previewRow);
                }
            }
        }

        return new MappingPreviewResult(mapping.Headers, preview, incomplete, checkedCount, incompleteCount, CheckedAll: true);
    }
}
