using System.Security.Cryptography;
using LeadPortal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace LeadPortal.TableIntake;

/// <summary>
/// A source's connection string or SAS URL: encrypted with data protection in the table, or — for one declared in
/// configuration — read from configuration when needed and never stored. Never shown again, never logged.
/// </summary>
public sealed class TableCredentials(IDataProtectionProvider dataProtection, IOptionsMonitor<TableIntakeOptions> options)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("LeadPortal.TableIntake.Credential.v1");

    public string Protect(string credential) => _protector.Protect(credential.Trim());

    /// <summary>The credential to read with; <see cref="TableSourceException"/> saying why when there is none.</summary>
    public string CredentialFor(TableSource source)
    {
        if (source.FromConfiguration)
        {
            var configured = options.CurrentValue.Sources
                .FirstOrDefault(s => string.Equals(s?.Name?.Trim(), source.Name, StringComparison.OrdinalIgnoreCase));
            var credential = source.CredentialKind == TableCredentialKind.ConnectionString ? configured?.ConnectionString : configured?.SasUrl;
            return string.IsNullOrWhiteSpace(credential)
                ? throw new TableSourceException($"\"{source.Name}\" is no longer declared under {TableIntakeOptions.Section}:Sources, so its credential is unknown.")
                : credential.Trim();
        }

        if (source.CredentialProtected is null)
        {
            throw new TableSourceException($"\"{source.Name}\" has no credential; delete it and add it again.");
        }

        try
        {
            return _protector.Unprotect(source.CredentialProtected);
        }
        catch (CryptographicException)
        {
            throw new TableSourceException(
                $"The credential of \"{source.Name}\" cannot be decrypted (the data-protection keys it was encrypted with are gone); delete the source and add it again.");
        }
    }
}

/// <summary>A source cannot be read, for a reason stated for the admin.</summary>
public sealed class TableSourceException(string message) : Exception(message);
