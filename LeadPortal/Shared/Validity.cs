namespace LeadPortal.Shared;

/// <summary>Partner Center's words for a contact field: there is none, it is usable, or it cannot be.</summary>
/// <remarks>Stored as its number: keep the values.</remarks>
public enum Validity
{
    /// <summary>Nothing was sent.</summary>
    Unknown = 0,
    Valid = 1,
    Invalid = 2,
}
