namespace LeadPortal.Shared;

/// <summary>What kind of line a number is, as libphonenumber's metadata says. Stored as its number: keep the values.</summary>
public enum PhoneType
{
    Unknown = 0,
    Mobile = 1,
    FixedLine = 2,
    /// <summary>The country's numbering does not tell the two apart (the US and Canada, among others).</summary>
    FixedLineOrMobile = 3,
    TollFree = 4,
    PremiumRate = 5,
    SharedCost = 6,
    Voip = 7,
    Personal = 8,
    Pager = 9,
    Uan = 10,
    Voicemail = 11,
}
