using System.Data.Common;
using LeadPortal.Data;

namespace LeadPortal.Intake;

/// <summary>
/// What one grouped commit means for each request in it: which bodies are new and stored once, which repeat a lead stored
/// before (or earlier in the same batch) and answer with it, and every delivery's outcome, status code and reason. The
/// store only writes the rows it is given (<see cref="IntakeBatch"/>); this is decided the same way on every store.
/// </summary>
internal static class IntakePlan
{
    /// <summary>Writes the batch in the caller's transaction and says, per request, which lead it stored or repeated.</summary>
    public static async Task<IntakeResult[]> WriteAsync(IntakeBatch store, DbTransaction transaction, IReadOnlyList<IntakeWork> batch, DateTime since)
    {
        store.Enlist(transaction);
        var results = new IntakeResult[batch.Count];
        var hashes = batch.Where(w => w.Lead is not null && w.OriginKey is null).Select(w => w.BodyHash!).DistinctBy(Convert.ToHexString).ToList();
        var stored = hashes.Count == 0 ? [] : await store.FindStoredAsync(hashes, since);
        // A lead read again from where it came from (a table entity) is known by its key there, however long ago it came.
        var origins = batch.Where(w => w.Lead is not null && w.OriginKey is not null).Select(w => w.OriginKey!).Distinct(StringComparer.Ordinal).ToList();
        var storedOrigins = origins.Count == 0 ? [] : await store.FindOriginsAsync(origins);

        // New bodies are stored once; a body repeated within the batch (or stored before) answers with that lead.
        var toStore = new List<int>();
        var firstInBatch = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeatOf = new Dictionary<int, int>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Lead is null)
            {
                continue;
            }

            var originKey = batch[i].OriginKey;
            var key = originKey is null ? Convert.ToHexString(batch[i].BodyHash!) : "origin:" + originKey;
            if (originKey is null ? stored.TryGetValue(key, out var earlier) : storedOrigins.TryGetValue(originKey, out earlier))
            {
                results[i] = new IntakeResult(earlier, Duplicate: true);
            }
            else if (firstInBatch.TryGetValue(key, out var first))
            {
                repeatOf[i] = first;
            }
            else
            {
                firstInBatch[key] = i;
                toStore.Add(i);
            }
        }

        var ids = toStore.Count == 0 ? [] : await store.InsertLeadsAsync(toStore.Select(i => NewRow(batch[i])).ToList());
        for (var n = 0; n < toStore.Count; n++)
        {
            results[toStore[n]] = new IntakeResult(ids[n], Duplicate: false);
        }

        foreach (var (i, first) in repeatOf)
        {
            results[i] = new IntakeResult(results[first].LeadId, Duplicate: true);
        }

        var keysUsed = new Dictionary<int, DateTime>();
        for (var i = 0; i < batch.Count; i++)
        {
            var delivery = batch[i].Delivery;
            if (batch[i].Lead is not null)
            {
                if (results[i].Duplicate)
                {
                    delivery.Outcome = DeliveryOutcome.Duplicate;
                    delivery.StatusCode = StatusCodes.Status200OK;
                    delivery.Reason ??= $"Same body as lead {results[i].LeadId}, already stored.";
                }
                else
                {
                    delivery.Outcome = DeliveryOutcome.Created;
                    delivery.StatusCode = StatusCodes.Status201Created;
                }

                delivery.LeadId = results[i].LeadId;
            }

            if (delivery.IntakeKeyId is { } keyId && (!keysUsed.TryGetValue(keyId, out var at) || at < delivery.ReceivedAt))
            {
                keysUsed[keyId] = delivery.ReceivedAt;
            }
        }

        var arrivals = toStore.Select(i => (results[i].LeadId!.Value, batch[i].Lead!.IsTest)).ToList();
        // The delivery log is the endpoint's: a lead read from a table or a file was never a request to it.
        await store.InsertDeliveriesAsync(batch.Where(w => w.Origin == LeadOrigin.Webhook).Select(w => w.Delivery).ToList(), keysUsed, arrivals);
        return results;
    }

    /// <summary>The lead row for a parsed request: received at its delivery's time, new, with its body's hash and key.</summary>
    private static NewLeadRow NewRow(IntakeWork work)
    {
        var lead = new Lead
        {
            ReceivedAt = work.Delivery.ReceivedAt,
            Status = LeadStatus.New,
            BodyHash = work.BodyHash!,
            IntakeKeyId = work.Delivery.IntakeKeyId,
            Origin = work.Origin,
            OriginName = work.OriginName,
            OriginKey = work.OriginKey,
        };
        work.Lead!.ApplyTo(lead);
        return new NewLeadRow(lead, work.RawBody ?? "");
    }
}
