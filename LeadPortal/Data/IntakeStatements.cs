using System.Data.Common;
using LeadPortal.Intake;

namespace LeadPortal.Data;

/// <summary>
/// The intake writer's commands, prepared once per connection: plain SQL both providers take (quoted identifiers,
/// parameters bound by name, <c>INSERT … RETURNING</c>).
/// </summary>
public sealed class IntakeStatements : IDisposable
{
    private readonly DbCommand _findDuplicate;
    private readonly DbCommand _insertLead;
    private readonly DbCommand _insertPayload;
    private readonly DbCommand _insertDelivery;
    private readonly DbCommand _touchKey;
    private readonly DbCommand _insertEvent;
    private readonly DbCommand? _lockHashes;

    private static readonly string[] LeadColumns =
    [
        "ReceivedAt", "Source", "ActionCode", "OfferId", "OfferTitle", "LeadSourceRaw", "Description",
        "FirstName", "LastName", "Email", "EmailNormalized", "Phone", "Country", "Company", "Title",
        "IsTest", "Status", "BodyHash", "IntakeKeyId",
    ];

    private static readonly string[] DeliveryColumns =
    [
        "ReceivedAt", "Outcome", "StatusCode", "Reason", "IntakeKeyId", "ClientIp", "BodySize", "BodyStart", "LeadId", "Count",
    ];

    public IntakeStatements(DbConnection connection, StoreDialect dialect)
    {
        _lockHashes = dialect.CreateBodyHashLock(connection);
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

    private static string Columns(string[] names) => string.Join(", ", names.Select(n => $"\"{n}\""));

    private static string Parameters(string[] names) => string.Join(", ", names.Select(n => "@" + n));

    public void Enlist(DbTransaction transaction)
    {
        foreach (var command in Commands)
        {
            command.Transaction = transaction;
        }
    }

    private IEnumerable<DbCommand> Commands =>
        new[] { _findDuplicate, _insertLead, _insertPayload, _insertDelivery, _touchKey, _insertEvent, _lockHashes }.OfType<DbCommand>();

    /// <summary>Where the provider needs it, locks these bodies' hashes until the transaction ends (see <see cref="StoreDialect.CreateBodyHashLock"/>).</summary>
    public async Task LockBodyHashesAsync(IEnumerable<byte[]> hashes)
    {
        if (_lockHashes is null)
        {
            return;
        }

        var keys = hashes.Select(h => BitConverter.ToInt64(h, 0)).Distinct().Order().ToArray();
        if (keys.Length == 0)
        {
            return;
        }

        _lockHashes.Parameters[0].Value = keys;
        await _lockHashes.ExecuteScalarAsync();
    }

    public async Task<long?> FindDuplicateAsync(byte[] bodyHash, DateTime since)
    {
        Set(_findDuplicate, bodyHash, since);
        var found = await _findDuplicate.ExecuteScalarAsync();
        return found is null or DBNull ? null : Convert.ToInt64(found);
    }

    public async Task<long> InsertLeadAsync(ParsedLead lead, IntakeWork work, DateTime receivedAt)
    {
        Set(_insertLead,
            receivedAt, lead.Source, lead.ActionCode, lead.OfferId, lead.OfferTitle, lead.LeadSourceRaw, lead.Description,
            lead.FirstName, lead.LastName, lead.Email, lead.EmailNormalized, lead.Phone, lead.Country, lead.Company, lead.Title,
            lead.IsTest, (int)LeadStatus.New, work.BodyHash, work.Delivery.IntakeKeyId);
        var id = Convert.ToInt64(await _insertLead.ExecuteScalarAsync());
        Set(_insertPayload, id, work.RawBody);
        await _insertPayload.ExecuteNonQueryAsync();
        return id;
    }

    public async Task InsertArrivalEventAsync(long leadId, DateTime at)
    {
        Set(_insertEvent, (int)OutboxEventKind.LeadArrived, leadId, at);
        await _insertEvent.ExecuteNonQueryAsync();
    }

    public async Task InsertDeliveryAsync(DeliveryLogEntry entry)
    {
        Set(_insertDelivery,
            entry.ReceivedAt, (int)entry.Outcome, entry.StatusCode, entry.Reason, entry.IntakeKeyId, entry.ClientIp,
            entry.BodySize, entry.BodyStart, entry.LeadId, entry.Count);
        await _insertDelivery.ExecuteNonQueryAsync();
    }

    public async Task TouchKeyAsync(int keyId, DateTime usedAt)
    {
        Set(_touchKey, usedAt, keyId);
        await _touchKey.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        foreach (var command in Commands)
        {
            command.Dispose();
        }
    }

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
