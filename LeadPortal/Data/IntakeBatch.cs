using System.Data.Common;

namespace LeadPortal.Data;

/// <summary>One new lead as the store takes it: the row (every column the intake fills) and the raw body it came as.</summary>
public sealed record NewLeadRow(Lead Lead, string RawBody);

/// <summary>
/// The store's side of one grouped intake commit: which bodies were stored before, the new leads with their raw bodies
/// and arrival events, the delivery-log rows and the keys' last use. It writes rows and decides nothing: which requests
/// are new, which repeat and how each is answered is the intake's plan (<c>Intake/IntakePlan.cs</c>). How many round trips
/// it takes is the provider's (<see cref="StoreDialect.CreateIntakeBatch"/>).
/// </summary>
public abstract class IntakeBatch : IDisposable
{
    /// <summary>
    /// This instance's name, when other instances must hear of the new leads (<see cref="StoreSignals.LeadsChannel"/>),
    /// sent inside the same commit; null on a store with one instance.
    /// </summary>
    public string? Announcer { get; init; }

    /// <summary>The statements that follow run in this transaction.</summary>
    public abstract void Enlist(DbTransaction transaction);

    /// <summary>The first lead stored with each of these body hashes since <paramref name="since"/>, by hex hash.</summary>
    public abstract Task<Dictionary<string, long>> FindStoredAsync(IReadOnlyList<byte[]> hashes, DateTime since);

    /// <summary>The lead stored with each of these origin keys (<see cref="Lead.OriginKey"/>), by key.</summary>
    public abstract Task<Dictionary<string, long>> FindOriginsAsync(IReadOnlyList<string> originKeys);

    /// <summary>Inserts the leads, their raw bodies and arrival events; their ids in order. The leads' body hashes are distinct.</summary>
    public abstract Task<long[]> InsertLeadsAsync(IReadOnlyList<NewLeadRow> leads);

    /// <summary>
    /// Inserts every delivery-log row, moves each key's last use forward, and (with an <see cref="Announcer"/>) tells
    /// other instances of the new leads.
    /// </summary>
    public abstract Task InsertDeliveriesAsync(
        IReadOnlyList<DeliveryLogEntry> deliveries, IReadOnlyDictionary<int, DateTime> keysUsed, IReadOnlyList<(long LeadId, bool IsTest)> arrivals);

    public abstract void Dispose();

    /// <summary>Lead columns the writer fills, in the order <see cref="LeadValues"/> gives them.</summary>
    protected static readonly string[] LeadColumns =
    [
        "ReceivedAt", "Source", "ActionCode", "OfferId", "OfferTitle", "LeadSourceRaw", "Description",
        "FirstName", "LastName", "Email", "EmailNormalized", "Phone", "Country", "Company", "Title",
        "IsTest", "Status", "BodyHash", "IntakeKeyId",
        "EmailValidity", "EmailIsRole", "PhoneE164", "PhoneNational", "PhoneExtension", "PhoneType", "PhoneValidity",
        "Origin", "OriginName", "OriginKey",
        "EmailDomainKind", "CompanyDomain",
    ];

    protected static object?[] LeadValues(Lead lead) =>
    [
        lead.ReceivedAt, lead.Source, lead.ActionCode, lead.OfferId, lead.OfferTitle, lead.LeadSourceRaw, lead.Description,
        lead.FirstName, lead.LastName, lead.Email, lead.EmailNormalized, lead.Phone, lead.Country, lead.Company, lead.Title,
        lead.IsTest, (int)lead.Status, lead.BodyHash, lead.IntakeKeyId,
        (int)lead.EmailValidity, lead.EmailIsRole, lead.PhoneE164, lead.PhoneNational, lead.PhoneExtension, (int)lead.PhoneType, (int)lead.PhoneValidity,
        (int)lead.Origin, lead.OriginName, lead.OriginKey,
        (int)lead.EmailDomainKind, lead.CompanyDomain,
    ];

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
public sealed class RowIntakeBatch : IntakeBatch
{
    private readonly DbCommand _findDuplicate;
    private readonly DbCommand _findOrigin;
    private readonly DbCommand _insertLead;
    private readonly DbCommand _insertPayload;
    private readonly DbCommand _insertDelivery;
    private readonly DbCommand _touchKey;
    private readonly DbCommand _insertEvent;

    public RowIntakeBatch(DbConnection connection)
    {
        _findDuplicate = Command(connection,
            """SELECT "Id" FROM "Leads" WHERE "BodyHash" = @BodyHash AND "ReceivedAt" >= @Since ORDER BY "Id" LIMIT 1""",
            "BodyHash", "Since");
        _findOrigin = Command(connection, """SELECT "Id" FROM "Leads" WHERE "OriginKey" = @OriginKey""", "OriginKey");
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

    private IEnumerable<DbCommand> Commands => [_findDuplicate, _findOrigin, _insertLead, _insertPayload, _insertDelivery, _touchKey, _insertEvent];

    public override void Enlist(DbTransaction transaction)
    {
        foreach (var command in Commands)
        {
            command.Transaction = transaction;
        }
    }

    public override async Task<Dictionary<string, long>> FindStoredAsync(IReadOnlyList<byte[]> hashes, DateTime since)
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

    public override async Task<Dictionary<string, long>> FindOriginsAsync(IReadOnlyList<string> originKeys)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var key in originKeys)
        {
            Set(_findOrigin, key);
            if (await _findOrigin.ExecuteScalarAsync() is { } id and not DBNull)
            {
                found[key] = Convert.ToInt64(id);
            }
        }

        return found;
    }

    public override async Task<long[]> InsertLeadsAsync(IReadOnlyList<NewLeadRow> leads)
    {
        var ids = new long[leads.Count];
        for (var i = 0; i < leads.Count; i++)
        {
            Set(_insertLead, LeadValues(leads[i].Lead));
            ids[i] = Convert.ToInt64(await _insertLead.ExecuteScalarAsync());
            Set(_insertPayload, ids[i], leads[i].RawBody);
            await _insertPayload.ExecuteNonQueryAsync();
            // In the lead's own commit: mail and forwarding for it survive a crash right after the 2xx.
            Set(_insertEvent, (int)OutboxEventKind.LeadArrived, ids[i], leads[i].Lead.ReceivedAt);
            await _insertEvent.ExecuteNonQueryAsync();
        }

        return ids;
    }

    public override async Task InsertDeliveriesAsync(
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
