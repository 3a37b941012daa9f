using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using LeadPortal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace LeadPortal.Accounts;

/// <summary>
/// The data-protection key ring (it signs and encrypts auth cookies, antiforgery tokens and password-reset tokens) lives in
/// the database, so it is backed up with the data, survives a move of the app folder, and is shared by every instance on
/// the same store. It is encrypted at rest wherever a secret outside the database exists: a configured certificate, or
/// else Windows DPAPI. <see cref="Protection"/> says which, for the health check.
/// </summary>
public static class KeyRing
{
    public static IHostApplicationBuilder AddKeyRing(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KeyProtectionOptions.Section).Get<KeyProtectionOptions>() ?? new();
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName("LeadPortal")
            .PersistKeysToDbContext<LeadPortalDbContext>();
        builder.Services.AddSingleton(Protect(dataProtection, options, builder.Environment.ContentRootPath));
        builder.Services.AddHealthChecks().AddCheck<DataProtectionHealthCheck>("data-protection");

        // The key repository logs each key's XML at Debug (for an unencrypted key ring, the key itself): every logger's
        // lines have the key material redacted (see Intake/KeyRedactingLoggerFactory), whatever logging is turned up to.
        return builder;
    }

    /// <summary>
    /// Creates the first key at start, under the store's start-up lock, so that instances started together share one
    /// (each would otherwise create its own on first use, and a cookie made on one would be refused by the other until
    /// its key ring refreshed). Later keys are made by the key ring itself two days before the current one expires; every
    /// instance reads the ring again at least once a day, so each knows a new key before it becomes the default.
    /// </summary>
    public static Task EnsureKeyRingAsync(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<IKeyManager>();
        var lifetime = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<KeyManagementOptions>>().Value.NewKeyLifetime;
        var now = DateTimeOffset.UtcNow;
        if (keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
        {
            return Task.CompletedTask;
        }

        try
        {
            keys.CreateNewKey(now, now + lifetime);
        }
        catch (InvalidOperationException ex)
        {
            // A configured certificate that cannot be used: sign-in fails and /healthz says why; intake goes on.
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRing)).LogError(ex, "No data-protection key could be created.");
        }

        return Task.CompletedTask;
    }

    private static Protection Protect(IDataProtectionBuilder dataProtection, KeyProtectionOptions options, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            var path = Path.GetFullPath(options.CertificatePath, contentRoot);
            try
            {
                var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
                using var privateKey = certificate.GetRSAPrivateKey();
                if (privateKey is null)
                {
                    return Refuse(dataProtection, $"The certificate in {path} (DataProtection:CertificatePath) has no RSA private key; keys cannot be encrypted to it.");
                }

                dataProtection.ProtectKeysWithCertificate(certificate);
                return new Protection($"encrypted to the certificate {certificate.Subject} ({certificate.Thumbprint})");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
            {
                // The app still starts: lead intake needs no keys and must keep storing leads. Sign-in fails, /healthz says why.
                return Refuse(dataProtection, $"The certificate in {path} (DataProtection:CertificatePath) cannot be loaded: {ex.Message}");
            }
        }

        if (OperatingSystem.IsWindows())
        {
            dataProtection.ProtectKeysWithDpapi();
            return new Protection("encrypted with Windows DPAPI for this user account");
        }

        return new Protection("stored unencrypted (set DataProtection:CertificatePath to encrypt them)");
    }

    /// <summary>A configured certificate that cannot be used must never mean keys written in clear.</summary>
    private static Protection Refuse(IDataProtectionBuilder dataProtection, string problem)
    {
        dataProtection.Services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new RefusingXmlEncryptor(problem));
        return new Protection("not possible", problem);
    }

    /// <summary>How the keys are protected at rest, and what stops them being protected as configured.</summary>
    public sealed record Protection(string AtRest, string? Problem = null);

    private sealed class RefusingXmlEncryptor(string problem) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement) => throw new InvalidOperationException(problem);
    }
}
