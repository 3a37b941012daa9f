using Azure.Data.Tables;
using LeadPortal.Data;

namespace LeadPortal.TableIntake;

/// <summary>
/// What an admin (or configuration) says of a source, checked the same way wherever it is given. The problems name the
/// setting and never quote the credential.
/// </summary>
public sealed record TableSourceSettings(string? Name, string? ConnectionString, string? SasUrl, string? Table, TimeSpan? PollInterval, DateTimeOffset? Since)
{
    public const string DefaultTable = "MarketplaceLeads";
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan ShortestPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The table given, else the one a table SAS URL is for, else Partner Center's.</summary>
    public string TableName => !string.IsNullOrWhiteSpace(Table) ? Table.Trim() : TableClients.SasTable(Kind, Credential) ?? DefaultTable;

    public TimeSpan Interval => PollInterval ?? DefaultPollInterval;

    public TableCredentialKind Kind => string.IsNullOrWhiteSpace(ConnectionString) ? TableCredentialKind.SasUrl : TableCredentialKind.ConnectionString;

    /// <summary>The connection string or the SAS URL, whichever is given.</summary>
    public string Credential => (Kind == TableCredentialKind.ConnectionString ? ConnectionString : SasUrl)?.Trim() ?? "";

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return "Name is required.";
        }
        else if (Name.Trim().Length > 100)
        {
            yield return "Name must be at most 100 characters.";
        }

        var hasConnection = !string.IsNullOrWhiteSpace(ConnectionString);
        var hasSas = !string.IsNullOrWhiteSpace(SasUrl);
        if (hasConnection == hasSas)
        {
            yield return "Give either ConnectionString or SasUrl (one of them).";
        }
        else if (TableClients.CredentialProblem(Kind, Credential) is { } credentialProblem)
        {
            yield return credentialProblem;
        }

        if (TableClients.SasTable(Kind, Credential) is { } sasTable && !string.IsNullOrWhiteSpace(Table) && !string.Equals(sasTable, Table.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            yield return $"The SAS URL is for table \"{sasTable}\", but Table says \"{Table.Trim()}\"; leave Table empty or make them the same.";
        }

        // Azure's rule for table names: 3 to 63 letters and digits, not starting with a digit.
        var table = TableName;
        if (table.Length is < 3 or > 63 || !char.IsAsciiLetter(table[0]) || !table.All(char.IsAsciiLetterOrDigit))
        {
            yield return $"Table \"{table}\" is not a table name (3 to 63 letters and digits, starting with a letter).";
        }

        if (Interval < ShortestPollInterval || Interval > TimeSpan.FromDays(1))
        {
            yield return "PollInterval must be between 0.1 seconds and 1 day.";
        }
    }
}
