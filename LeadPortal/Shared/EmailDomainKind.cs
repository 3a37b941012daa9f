namespace LeadPortal.Shared;

/// <summary>Whose mail server an address's domain is: a company's, a free mail provider's, or a throwaway inbox's.</summary>
/// <remarks>Stored as its number: keep the values.</remarks>
public enum EmailDomainKind
{
    /// <summary>No valid address, so no domain to judge.</summary>
    Unknown = 0,

    /// <summary>On neither list: taken to be the customer's company.</summary>
    Company = 1,

    /// <summary>A free mail provider (gmail.com, outlook.com, web.de): a person, but not their company.</summary>
    Freemail = 2,

    /// <summary>A throwaway inbox (mailinator.com): nobody reads it next week.</summary>
    Disposable = 3,
}
