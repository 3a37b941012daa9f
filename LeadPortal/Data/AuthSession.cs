namespace LeadPortal.Data;

/// <summary>
/// A signed-in browser. Its cookie carries only <see cref="Id"/>; signing out deletes the row, which ends the session
/// for every copy of that cookie at once.
/// </summary>
public sealed class AuthSession
{
    /// <summary>256 random bits, hex.</summary>
    public string Id { get; set; } = "";

    /// <summary>Deleting the user deletes their sessions.</summary>
    public string? UserId { get; set; }

    /// <summary>The serialized authentication ticket (the user's claims and the cookie's properties).</summary>
    public byte[] Ticket { get; set; } = [];

    public DateTime CreatedAt { get; set; }

    /// <summary>The ticket's expiry, moved on by sliding renewal; expired rows are deleted at later sign-ins.</summary>
    public DateTime ExpiresAt { get; set; }
}
