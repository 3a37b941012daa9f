namespace LeadPortal.Shared;

/// <summary>How likely a lead is a real buyer, by the quality rules (Quality/QualityRules.cs).</summary>
/// <remarks>Stored as its number: keep the values. Higher is better, so sorting by it puts the best leads first.</remarks>
public enum QualityRating
{
    /// <summary>Not rated yet: just arrived (rated within seconds), or stored before ratings existed and not backfilled.</summary>
    Unrated = 0,

    /// <summary>Probably not a buyer: a test, a throwaway or unusable address, a keyboard-mash name, a burst, do not contact.</summary>
    Low = 1,

    /// <summary>Worth a look, with something missing or doubtful: no company, a phone number that cannot be dialled.</summary>
    Medium = 2,

    /// <summary>Nothing speaks against it.</summary>
    High = 3,
}

/// <summary>Why a lead got its rating: one bit a reason, stored together in <c>Lead.QualityReasons</c>.</summary>
/// <remarks>Stored as its number: keep the values; a new reason takes a new bit.</remarks>
[Flags]
public enum QualityReason
{
    None = 0,
    TestLead = 1 << 0,
    DisposableDomain = 1 << 1,
    InvalidEmail = 1 << 2,
    InvalidPhone = 1 << 3,
    KeyboardName = 1 << 4,
    NameIsEmail = 1 << 5,
    CompanyMissing = 1 << 6,
    RepeatedAddress = 1 << 7,
    DoNotContact = 1 << 8,
    FreemailAddress = 1 << 9,
    RoleAddress = 1 << 10,
}
