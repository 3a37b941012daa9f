namespace LeadPortal.Data;

/// <summary>A secret that authorizes posts to the intake endpoint. Only its SHA-256 is stored.</summary>
public sealed class IntakeKey
{
    public int Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>The first characters of the key, enough to recognise it, not to use it.</summary>
    public string Prefix { get; set; } = "";

    public byte[] Hash { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public bool IsActive => RevokedAt is null;
}
