using LeadPortal.Data;
using LeadPortal.Leads;
using LeadPortal.Mapping;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Export;

/// <summary>The mapping editor's preview, through the export's own selection and projection of leads.</summary>
public sealed class ExportPreview(IDbContextFactory<LeadPortalDbContext> dbFactory) : MappingPreview
{
    public override async Task<MappingPreviewResult> RunAsync(CompiledMapping mapping, LeadFilter filter, TimeZoneInfo zone, CancellationToken cancellationToken = default)
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
