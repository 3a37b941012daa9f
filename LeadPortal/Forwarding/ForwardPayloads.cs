using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using LeadPortal.Data;
using LeadPortal.Export;
using LeadPortal.Mapping;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Forwarding;

/// <summary>
/// The body of a delivery: the lead's raw Partner Center JSON exactly as stored, or a JSON object of a mapping profile's
/// columns (header → cell value, the same cells a CSV export would hold). A test delivery gets a synthetic MSFT_TEST lead.
/// </summary>
public sealed class ForwardPayloads
{
    // Compiled per profile version: compiling is cheap, but a burst of leads would do it per lead.
    private readonly ConcurrentDictionary<(int Id, DateTime UpdatedAt), CompiledMapping> _compiled = new();

    public async Task<byte[]> BuildAsync(LeadPortalDbContext db, ForwardingDestination destination, ForwardDelivery delivery, CancellationToken cancellationToken)
    {
        if (destination.Body == ForwardBody.Raw)
        {
            if (delivery.LeadId is not { } leadId)
            {
                return Encoding.UTF8.GetBytes(TestLead.RawBody(delivery.CreatedAt));
            }

            var body = await db.LeadPayloads.AsNoTracking().Where(p => p.LeadId == leadId).Select(p => p.Body).SingleOrDefaultAsync(cancellationToken)
                ?? throw new ForwardingException($"Lead {leadId} has no stored body any more.");
            return Encoding.UTF8.GetBytes(body);
        }

        var mapping = await MappingOfAsync(db, destination, cancellationToken);
        LeadRow row;
        if (delivery.LeadId is { } id)
        {
            row = await ExportService.Rows(db, db.Leads.AsNoTracking().Where(l => l.Id == id), mapping).SingleOrDefaultAsync(cancellationToken)
                ?? throw new ForwardingException($"Lead {id} no longer exists.");
        }
        else
        {
            row = TestLead.Row(delivery.CreatedAt);
        }

        return MappedJson(mapping, row);
    }

    /// <summary>The JSON object of one lead's mapped cells, in column order.</summary>
    public static byte[] MappedJson(CompiledMapping mapping, LeadRow row)
    {
        var headers = mapping.Headers;
        var values = mapping.Map(row).Values;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            for (var i = 0; i < headers.Length; i++)
            {
                json.WriteString(headers[i], values[i]);
            }

            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private async Task<CompiledMapping> MappingOfAsync(LeadPortalDbContext db, ForwardingDestination destination, CancellationToken cancellationToken)
    {
        if (destination.MappingProfileId is not { } profileId)
        {
            throw new ForwardingException($"\"{destination.Name}\" sends a mapped body but names no mapping profile (or its profile was not found).");
        }

        var profile = await db.MappingProfiles.AsNoTracking().Where(p => p.Id == profileId)
            .Select(p => new { p.Name, p.UpdatedAt, p.DefinitionJson }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new ForwardingException($"The mapping profile of \"{destination.Name}\" no longer exists.");
        if (_compiled.TryGetValue((profileId, profile.UpdatedAt), out var cached))
        {
            return cached;
        }

        var result = MappingEngine.Compile(MappingProfileStore.Deserialize(profile.DefinitionJson));
        if (result.Mapping is not { } mapping)
        {
            throw new ForwardingException($"The mapping profile \"{profile.Name}\" does not compile: {string.Join("; ", result.Errors)}");
        }

        _compiled[(profileId, profile.UpdatedAt)] = mapping;
        return mapping;
    }
}
