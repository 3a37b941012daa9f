using Azure.Data.Tables;
using LeadPortal.Data;

namespace LeadPortal.TableIntake;

/// <summary>Table clients from a connection string or a SAS URL; the SDK's own retries are off (the poller retries, and says so).</summary>
public static class TableClients
{
    public static TableClient Create(TableCredentialKind kind, string credential, string table, TimeSpan requestTimeout)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = requestTimeout;
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        if (kind == TableCredentialKind.ConnectionString)
        {
            return new TableClient(credential, table, options);
        }

        var uri = new TableUriBuilder(new Uri(credential));
        if (string.IsNullOrEmpty(uri.Tablename))
        {
            // An account SAS: the table comes from the source's setting.
            uri.Tablename = table;
        }

        return new TableClient(uri.ToUri(), options);
    }

    /// <summary>The table a SAS URL is for (a table SAS names it in its path); null for an account SAS or a connection string.</summary>
    public static string? SasTable(TableCredentialKind kind, string credential)
    {
        if (kind != TableCredentialKind.SasUrl || !Uri.TryCreate(credential, UriKind.Absolute, out var uri))
        {
            return null;
        }

        try
        {
            var table = new TableUriBuilder(uri).Tablename;
            return string.IsNullOrEmpty(table) ? null : table;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>What is wrong with the credential's form, without quoting it; null when a client can be made from it.</summary>
    public static string? CredentialProblem(TableCredentialKind kind, string credential)
    {
        if (kind == TableCredentialKind.SasUrl)
        {
            if (!Uri.TryCreate(credential, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                return "SasUrl must be an https URL of the table or of the storage account, with its SAS token (?sv=…&sig=…).";
            }

            if (!uri.Query.Contains("sig=", StringComparison.OrdinalIgnoreCase))
            {
                return "SasUrl has no SAS token (no sig= in it); copy the whole SAS URL from the storage account's Shared access signature page.";
            }

            return null;
        }

        try
        {
            _ = new TableServiceClient(credential);
            return null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            return "ConnectionString is not a storage connection string (DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=…).";
        }
    }

    /// <summary>The table service's address without any secret, or null when the credential cannot be read.</summary>
    public static string? Endpoint(TableCredentialKind kind, string credential)
    {
        if (CredentialProblem(kind, credential) is not null)
        {
            return null;
        }

        var uri = kind == TableCredentialKind.ConnectionString ? new TableServiceClient(credential).Uri : new Uri(credential);
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }
}
