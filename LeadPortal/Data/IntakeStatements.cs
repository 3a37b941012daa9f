using System.Data.Common;
using LeadPortal.Intake;

namespace LeadPortal.Data;

/// <summary>
/// The intake writer's work inside one grouped transaction: which bodies were stored before (redeliveries), the new
/// leads with their raw bodies and arrival events, every request's delivery-log row, and the keys' last use. What is
/// decided is the same on every store; how many round trips it takes is the provider's (<see cref="StoreDialect.CreateIntakeStatements"/>).
/// </summary>
public abstract class IntakeStatements : IDisposable
{
    /// <summary>Writes the batch in the caller's transaction and says, per request, which lead it stored or repeated.</summary>
    public async Task<IntakeResult[]> WriteAsync(DbTransaction transaction, IReadOnlyList<IntakeWork> batch, DateTime since)
    {
        Enlist(transaction);
        var results = new IntakeResult[batch.Count];
        var hashes = batch.Where(w => w.Lead is not null).Select(w => w.BodyHash!).DistinctBy(Convert.ToHexString).ToList();
        var stored = hashes.Count == 0 ? [] : await FindStoredAsync(hashes, since);

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

            var key = Convert.ToHexString(batch[i].BodyHash!);
            if (stored.TryGetValue(key, out var earlier))
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

        var ids = toStore.Count == 0 ? [] : await InsertLeadsAsync(toStore.Select(i => batch[i]).ToList());
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
        await InsertDeliveriesAsync(batch.Select(w => w.Delivery).ToList(), keysUsed, arrivals);
        return results;
    }

    /// <summary>
    /// This instance's name, when other instances must hear of the new leads (<see cref="StoreSignals.LeadsChannel"/>),
    /// sent inside the same commit; null on a store with one instance.
    /// </summary>
    public string? Announcer { get; init; }

    protected abstract void Enlist(DbTransaction transaction);

    /// <summary>The first lead stored with each of these body hashes since <paramref name="since"/>, by hex hash.</summary>
    protected abstract Task<Dictionary<string, long>> FindStoredAsync(IReadOnlyList<byte[]> hashes, DateTime since);

    /// <summary>Inserts the leads (received at their delivery's time), their raw bodies and arrival events; their ids in order.</summary>
    protected abstract Task<long[]> InsertLeadsAsync(IReadOnlyList<IntakeWork> works);

    /// <summary>
    /// Inserts every delivery-log row, moves each key's last use forward, and (with an <see cref="Announcer"/>) tells
    /// other instances of the new leads.
    /// </summary>
    protected abstract Task InsertDeliveriesAsync(
        IReadOnlyList<DeliveryLogEntry> deliveries, IReadOnlyDictionary<int, DateTime> keysUsed, IReadOnlyList<(long LeadId, bool IsTest)> arrivals);

    public abstract void Dispose();

    /// <summary>Lead columns the writer fills, in the order <see cref="LeadValues"/> gives them.</summary>
    protected static readonly string[] LeadColumns =
    [
        "ReceivedAt", "Source", "ActionCode", "OfferId", "OfferTitle", "LeadSourceRaw", "Description",
        "FirstName", "LastName", "Email", "EmailNormalized", "Phone", "Country", "Company", "Title",
        "IsTest", "Status", "BodyHash", "IntakeKeyId",
        "EmailValidity", "EmailIsRole", "PhoneE164", "PhoneNational", "PhoneExtension", "PhoneType", "PhoneValidity",
    ];

    protected static object?[] LeadValues(IntakeWork work)
    {
        var lead = work.Lead!;
        return
        [
            work.Delivery.ReceivedAt, lead.Source, lead.ActionCode, lead.OfferId, lead.OfferTitle, lead.LeadSourceRaw, lead.Description,
            lead.FirstName, lead.LastName, lead.Email, lead.EmailNormalized, lead.Phone, lead.Country, lead.Company, lead.Title,
            lead.IsTest, (int)LeadStatus.New, work.BodyHash, work.Delivery.IntakeKeyId,
            (int)lead.EmailValidity, lead.EmailIsRole, lead.PhoneE164, lead.PhoneNational, lead.PhoneExtension, (int)lead.PhoneType, (int)lead.PhoneValidity,
        ];
    }

    protected static readonly string[] DeliveryColumns =
    [
        "ReceivedAt", "Outcome", "StatusCode", "Reason", "IntakeKeyId", "ClientIp", "BodySize", "BodyStart", "LeadId", "Count",
    ];

    protected static object?[] DeliveryValues(DeliveryLogEntry entry) =>
    [
        entry.ReceivedAt, (int)entry.Outcome, entry.StatusCode, entry.Reason, entry.IntakeKeyId, entry.ClientIp,
        entry.BodySize, entry.BodyStart, entry.LeadId, entry.Count,
    ];

    protected static string Columns(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));
}

/// <summary>
/// Row by row with prepared commands: plain SQL every provider takes (quoted identifiers, parameters by name,
/// <c>INSERT … RETURNING</c>). On SQLite each statement is a call into the library, not a round trip.
/// </summary>
public sealed class RowIntakeStatements : IntakeStatements
{
    private readonly DbCommand _findDuplicate;
    private readonly DbCommand _insertLead;
    private readonly DbCommand _insertPayload;
    private readonly DbCommand _insertDelivery;
    private readonly DbCommand _touchKey;
    private readonly DbCommand _insertEvent;

    public RowIntakeStatements(DbConnection connection)
    {
        _findDuplicate = Command(connection,
            """SELECT "Id" FROM "Leads" WHERE "BodyHash" = @BodyHash AND "ReceivedAt" >= @Since ORDER BY "Id" LIMIT 1""",
            "BodyHash", "Since");
        _insertLead = Command(connection,
            $"""INSERT INTO "Leads" ({Columns(LeadColumns)}) VALUES ({Parameters(LeadColumns)}) RETURNING "Id" """,
            LeadColumns);
        _insertPayload = Command(connection, """INSERT INTO "LeadPayloads" ("LeadId", "Body") VALUES (@LeadId, @Body)""", "LeadId", "Body");
        _insertDelivery = Command(connection,
            $"""INSERT INTO "DeliveryLog" ({Columns(DeliveryColumns)}) VALUES ({Parameters(DeliveryColumns)})""",
            DeliveryColumns);
        _touchKey = Command(connection,
            """UPDATE "IntakeKeys" SET "LastUsedAt" = @LastUsedAt WHERE "Id" = @Id AND ("LastUsedAt" IS NULL OR "LastUsedAt" < @LastUsedAt)""",
            "LastUsedAt", "Id");
        _insertEvent = Command(connection, OutboxSql.InsertEvent, OutboxSql.InsertEventParameters);
    }

    private IEnumerable<DbCommand> Commands => [_findDuplicate, _insertLead, _insertPayload, _insertDelivery, _touchKey, _insertEvent];

    protected override void Enlist(DbTransaction transaction)
    {
        foreach (var command in Commands)
        {
            command.Transaction = transaction;
        }
    }

    protected override async Task<Dictionary<string, long>> FindStoredAsync(IReadOnlyList<byte[]> hashes, DateTime since)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var hash in hashes)
        {
            Set(_findDuplicate, hash, since);
            if (await _findDuplicate.ExecuteScalarAsync() is { } id and not DBNull)
            {
                found[Convert.ToHexString(hash)] = Convert.ToInt64(id);
            }
        }

        return found;
    }

    protected override async Task<long[]> InsertLeadsAsync(IReadOnlyList<IntakeWork> works)
    {
        var ids = new long[works.Count];
        for (var i = 0; i < works.Count; i++)
        {
            Set(_insertLead, LeadValues(works[i]));
            ids[i] = Convert.ToInt64(await _insertLead.ExecuteScalarAsync());
            Set(_insertPayload, ids[i], works[i].RawBody);
            await _insertPayload.ExecuteNonQueryAsync();
            // In the lead's own commit: mail and forwarding for it survive a crash right after the 2xx.
            Set(_insertEvent, (int)OutboxEventKind.LeadArrived, ids[i], works[i].Delivery.ReceivedAt);
            await _insertEvent.ExecuteNonQueryAsync();
        }

        return ids;
    }

    protected override async Task InsertDeliveriesAsync(
        IReadOnlyList<DeliveryLogEntry> deliveries, IReadOnlyDictionary<int, DateTime> keysUsed, IReadOnlyList<(long LeadId, bool IsTest)> arrivals)
    {
        foreach (var entry in deliveries)
        {
            Set(_insertDelivery, DeliveryValues(entry));
            await _insertDelivery.ExecuteNonQueryAsync();
        }

        foreach (var (keyId, usedAt) in keysUsed)
        {
            Set(_touchKey, usedAt, keyId);
            await _touchKey.ExecuteNonQueryAsync();
        }
    }

    public override void Dispose()
    {
        foreach (var command in Commands)
        {
            command.Dispose();
        }
    }

    private static string Parameters(string[] names) => string.Join(", ", names.Select(n => "@" + n));

    private static DbCommand Command(DbConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static void Set(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
