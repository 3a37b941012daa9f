using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace LeadPortal.Data.Postgres;

/// <summary>
/// The grouped commit in three round trips whatever the batch size: (1) lock the bodies' hashes and find the ones stored
/// before, (2) insert every new lead from arrays (<c>unnest</c>) returning their ids, (3) their raw bodies, arrival
/// events, every delivery-log row and the keys' last use, as one batch of statements. The advisory locks make duplicate
/// detection exact across processes: a second instance with the same body waits for this commit, then finds the lead.
/// The last batch also tells other instances of the new leads (<c>pg_notify</c>, delivered at the commit).
/// </summary>
public sealed class PostgresIntakeBatch(NpgsqlConnection connection) : IntakeBatch
{
    // Built once: the same text for every batch (array parameters, one per column, named like the column).
    private static readonly string InsertLeads = $"""
        INSERT INTO "Leads" ({Columns(LeadColumns)})
        SELECT {string.Join(", ", LeadColumns.Select((_, i) => $"c{i}"))}
        FROM unnest({string.Join(", ", LeadColumns.Select(c => "@" + c))}) WITH ORDINALITY AS t({string.Join(", ", LeadColumns.Select((_, i) => $"c{i}"))}, n)
        ORDER BY n
        RETURNING "Id", "BodyHash"
        """;

    private static readonly string InsertDeliveries = $"""
        INSERT INTO "DeliveryLog" ({Columns(DeliveryColumns)})
        SELECT * FROM unnest({string.Join(", ", DeliveryColumns.Select(c => "@" + c))})
        """;

    private NpgsqlTransaction? _transaction;

    public override void Enlist(DbTransaction transaction) => _transaction = (NpgsqlTransaction)transaction;

    public override async Task<Dictionary<string, long>> FindStoredAsync(IReadOnlyList<byte[]> hashes, DateTime since)
    {
        // Transaction-scoped locks on the hashes' first 8 bytes, taken in order so that two writers cannot deadlock.
        var keys = hashes.Select(h => BitConverter.ToInt64(h, 0)).Distinct().Order().ToArray();
        await using var batch = new NpgsqlBatch(connection, _transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(@Keys) AS k")
                {
                    Parameters = { new NpgsqlParameter<long[]>("Keys", keys) },
                },
                new NpgsqlBatchCommand("""
                    SELECT DISTINCT ON ("BodyHash") "BodyHash", "Id" FROM "Leads"
                    WHERE "BodyHash" = ANY(@Hashes) AND "ReceivedAt" >= @Since ORDER BY "BodyHash", "Id"
                    """)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<byte[][]>("Hashes", hashes.ToArray()),
                        new NpgsqlParameter<DateTime>("Since", since),
                    },
                },
            },
        };
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            found[Convert.ToHexString(reader.GetFieldValue<byte[]>(0))] = reader.GetInt64(1);
        }

        return found;
    }

    public override async Task<Dictionary<string, long>> FindOriginsAsync(IReadOnlyList<string> originKeys)
    {
        // No lock: one instance reads a source at a time (its lease), and the unique index refuses a second copy anyway.
        await using var command = new NpgsqlCommand("""SELECT "OriginKey", "Id" FROM "Leads" WHERE "OriginKey" = ANY(@Keys)""", connection, _transaction)
        {
            Parameters = { new NpgsqlParameter<string[]>("Keys", originKeys.ToArray()) },
        };
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found[reader.GetString(0)] = reader.GetInt64(1);
        }

        return found;
    }

    public override async Task<long[]> InsertLeadsAsync(IReadOnlyList<NewLeadRow> leads)
    {
        var rows = leads.Select(l => LeadValues(l.Lead)).ToList();
        var command = new NpgsqlCommand(InsertLeads, connection, _transaction);
        await using (command)
        {
            for (var c = 0; c < LeadColumns.Length; c++)
            {
                command.Parameters.Add(ArrayParameter(LeadColumns[c], rows.Select(r => r[c]).ToArray()));
            }

            // The ids come back by body hash: the new leads' hashes are distinct within a batch.
            var ids = new Dictionary<string, long>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ids[Convert.ToHexString(reader.GetFieldValue<byte[]>(1))] = reader.GetInt64(0);
                }
            }

            var ordered = leads.Select(l => ids[Convert.ToHexString(l.Lead.BodyHash)]).ToArray();
            await using var rest = new NpgsqlBatch(connection, _transaction)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("""INSERT INTO "LeadPayloads" ("LeadId", "Body") SELECT * FROM unnest(@LeadIds, @Bodies)""")
                    {
                        Parameters =
                        {
                            new NpgsqlParameter<long[]>("LeadIds", ordered),
                            new NpgsqlParameter<string[]>("Bodies", leads.Select(l => l.RawBody).ToArray()),
                        },
                    },
                    // In the lead's own commit: mail and forwarding for it survive a crash right after the 2xx.
                    new NpgsqlBatchCommand("""
                        INSERT INTO "OutboxEvents" ("Kind", "LeadId", "UserId", "ActorId", "CreatedAt")
                        SELECT @Kind, l, NULL, NULL, a FROM unnest(@LeadIds, @At) AS t(l, a)
                        """)
                    {
                        Parameters =
                        {
                            new NpgsqlParameter<int>("Kind", (int)OutboxEventKind.LeadArrived),
                            new NpgsqlParameter<long[]>("LeadIds", ordered),
                            new NpgsqlParameter<DateTime[]>("At", leads.Select(l => l.Lead.ReceivedAt).ToArray()),
                        },
                    },
                },
            };
            await rest.ExecuteNonQueryAsync();
            return ordered;
        }
    }

    public override async Task InsertDeliveriesAsync(
        IReadOnlyList<DeliveryLogEntry> deliveries, IReadOnlyDictionary<int, DateTime> keysUsed, IReadOnlyList<(long LeadId, bool IsTest)> arrivals)
    {
        var rows = deliveries.Select(DeliveryValues).ToList();
        var insert = new NpgsqlBatchCommand(InsertDeliveries);
        for (var c = 0; c < DeliveryColumns.Length; c++)
        {
            insert.Parameters.Add(ArrayParameter(DeliveryColumns[c], rows.Select(r => r[c]).ToArray()));
        }

        await using var batch = new NpgsqlBatch(connection, _transaction) { BatchCommands = { insert } };
        if (keysUsed.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                UPDATE "IntakeKeys" AS k SET "LastUsedAt" = u.at FROM unnest(@KeyIds, @UsedAt) AS u(id, at)
                WHERE k."Id" = u.id AND (k."LastUsedAt" IS NULL OR k."LastUsedAt" < u.at)
                """)
            {
                Parameters =
                {
                    new NpgsqlParameter<int[]>("KeyIds", keysUsed.Keys.ToArray()),
                    new NpgsqlParameter<DateTime[]>("UsedAt", keysUsed.Values.ToArray()),
                },
            });
        }

        if (Announcer is not null)
        {
            // Delivered to every listening instance when this transaction commits, never before.
            foreach (var payload in StoreSignals.ArrivalPayloads(Announcer, arrivals))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_notify(@Channel, @Payload)")
                {
                    Parameters =
                    {
                        new NpgsqlParameter<string>("Channel", StoreSignals.LeadsChannel),
                        new NpgsqlParameter<string>("Payload", payload),
                    },
                });
            }
        }

        await batch.ExecuteNonQueryAsync();
    }

    public override void Dispose()
    {
    }

    /// <summary>A column's values as a typed array parameter (nulls kept), by the column's type in the table.</summary>
    private static NpgsqlParameter ArrayParameter(string column, object?[] values) => column switch
    {
        "ReceivedAt" => new NpgsqlParameter<DateTime[]>(column, values.Cast<DateTime>().ToArray()),
        "IsTest" or "EmailIsRole" => new NpgsqlParameter<bool[]>(column, values.Cast<bool>().ToArray()),
        "Status" or "Outcome" or "StatusCode" or "Count" or "EmailValidity" or "PhoneType" or "PhoneValidity" or "Origin" or "EmailDomainKind" => new NpgsqlParameter<int[]>(column, values.Cast<int>().ToArray()),
        "BodyHash" => new NpgsqlParameter<byte[][]>(column, values.Cast<byte[]>().ToArray()),
        "IntakeKeyId" => new NpgsqlParameter<int?[]>(column, values.Cast<int?>().ToArray()),
        "BodySize" => new NpgsqlParameter<long[]>(column, values.Cast<long>().ToArray()),
        "LeadId" => new NpgsqlParameter<long?[]>(column, values.Cast<long?>().ToArray()),
        _ => new NpgsqlParameter<string?[]>(column, values.Cast<string?>().ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
    };
}
