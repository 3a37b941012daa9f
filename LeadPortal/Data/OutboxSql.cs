namespace LeadPortal.Data;

/// <summary>The outbox statement the intake writer runs beside each lead insert (plain SQL both providers take).</summary>
public static class OutboxSql
{
    public const string InsertEvent =
        "INSERT INTO \"OutboxEvents\" (\"Kind\", \"LeadId\", \"UserId\", \"ActorId\", \"CreatedAt\") VALUES (@Kind, @LeadId, NULL, NULL, @CreatedAt)";

    public static readonly string[] InsertEventParameters = ["Kind", "LeadId", "CreatedAt"];
}
