namespace LeadPortal.Accounts;

/// <summary>How the data-protection keys are encrypted in the database (section <c>DataProtection</c>).</summary>
public sealed class KeyProtectionOptions
{
    public const string Section = "DataProtection";

    /// <summary>
    /// A PFX file holding an RSA certificate and its private key; the keys are encrypted to it. A relative path is
    /// relative to the content root. Unset: Windows DPAPI on Windows, unencrypted elsewhere.
    /// </summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}
