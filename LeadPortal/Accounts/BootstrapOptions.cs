namespace LeadPortal.Accounts;

/// <summary>The first admin, created at start when no user exists.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    public string? AdminEmail { get; set; }

    /// <summary>When unset, a password is generated, printed once to the console, and must be changed at first sign-in.</summary>
    public string? AdminPassword { get; set; }
}
