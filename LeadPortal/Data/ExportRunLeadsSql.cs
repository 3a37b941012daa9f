using System.Data.Common;

namespace LeadPortal.Data;

/// <summary>An export run's leads, through one prepared command (plain SQL both providers take).</summary>
public static class ExportRunLeadsSql
{
    /// <summary>Inserts a row per lead into <c>ExportRunLeads</c> inside the caller's transaction.</summary>
    public static async Task InsertAsync(
        DbConnection connection, DbTransaction transaction, long runId, int? profileId, IEnumerable<long> leadIds, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """INSERT INTO "ExportRunLeads" ("ExportRunId", "LeadId", "ProfileId") VALUES (@Run, @Lead, @Profile)""";
        Parameter(command, "@Run", runId);
        var lead = Parameter(command, "@Lead", 0L);
        Parameter(command, "@Profile", (object?)profileId ?? DBNull.Value);
        foreach (var id in leadIds)
        {
            lead.Value = id;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
