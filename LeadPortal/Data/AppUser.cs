using Microsoft.AspNetCore.Identity;

namespace LeadPortal.Data;

public sealed class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>Set for generated or admin-reset passwords: the user must choose a new one at sign-in.</summary>
    public bool MustChangePassword { get; set; }

    public bool IsDisabled { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastSignInAt { get; set; }

    /// <summary>Away (holiday, leave) until this moment, UTC: assignment rules give them no new leads meanwhile.</summary>
    public DateTime? AwayUntil { get; set; }

    /// <summary>The IANA time zone the user chose in settings; null for "the browser's" (the default).</summary>
    public string? TimeZone { get; set; }

    public string Label => string.IsNullOrWhiteSpace(DisplayName) ? Email ?? UserName ?? Id : DisplayName;
}
