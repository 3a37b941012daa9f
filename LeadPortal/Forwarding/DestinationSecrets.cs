using System.Security.Cryptography;
using LeadPortal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace LeadPortal.Forwarding;

/// <summary>
/// A destination's signing secret: encrypted with data protection in the table, or — for one declared in
/// configuration — read from configuration when needed and never stored.
/// </summary>
public sealed class DestinationSecrets(IDataProtectionProvider dataProtection, IOptionsMonitor<ForwardingOptions> options)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("LeadPortal.Forwarding.DestinationSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret.Trim());

    /// <summary>The secret to sign with; <see cref="ForwardingException"/> saying why when there is none.</summary>
    public string SecretFor(ForwardingDestination destination)
    {
        if (destination.FromConfiguration)
        {
            var configured = options.CurrentValue.Destinations
                .FirstOrDefault(d => string.Equals(d?.Name?.Trim(), destination.Name, StringComparison.OrdinalIgnoreCase));
            return configured?.Secret?.Trim()
                ?? throw new ForwardingException($"\"{destination.Name}\" is no longer declared under {ForwardingOptions.Section}:Destinations, so its secret is unknown.");
        }

        if (destination.SecretProtected is null)
        {
            throw new ForwardingException($"\"{destination.Name}\" has no secret; edit it to set one.");
        }

        try
        {
            return _protector.Unprotect(destination.SecretProtected);
        }
        catch (CryptographicException)
        {
            throw new ForwardingException(
                $"The secret of \"{destination.Name}\" cannot be decrypted (the data-protection keys it was encrypted with are gone); edit it to set a new one.");
        }
    }
}
