using LeadPortal.Intake;
using LeadPortal.Shared;

namespace LeadPortal.Mapping;

/// <summary>
/// The export projection of one lead, built from the database by the caller so that mapping stays pure.
/// </summary>
/// <param name="ReceivedAt">When the endpoint received the lead, UTC (an unspecified kind is read as UTC).</param>
/// <param name="Status">The lead's workflow status as sales staff see it (New, Contacted, ...).</param>
/// <param name="OwnerEmail">The e-mail of the user the lead is assigned to, which CRMs match owners by.</param>
/// <param name="Notes">Sales staff's notes on the lead, oldest first, joined by " | " (read only when a profile exports them).</param>
public sealed record LeadRow(
    long Id,
    DateTime ReceivedAt,
    string? Source,
    string? ActionCode,
    string? OfferId,
    string? OfferTitle,
    string? LeadSourceRaw,
    string? Description,
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? Country,
    string? Company,
    string? Title,
    bool IsTest,
    string Status,
    string? OwnerName,
    string? OwnerEmail = null,
    string? Notes = null)
{
    /// <summary>A valid phone number in E.164 without its extension (derived at intake); null for an invalid or missing one.</summary>
    public string? PhoneE164 { get; init; }

    /// <summary>The extension's digits, apart from the number.</summary>
    public string? PhoneExtension { get; init; }

    public Validity PhoneValidity { get; init; }

    public Validity EmailValidity { get; init; }

    /// <summary>Why the lead was disqualified (the reason's name now), for a disqualified lead.</summary>
    public string? DisqualifyReason { get; init; }

    /// <summary>The words that went with the reason.</summary>
    public string? DisqualifyNote { get; init; }

    /// <summary>The deal's id in the CRM, recorded at conversion.</summary>
    public string? CrmId { get; init; }

    /// <summary>The deal's value, recorded at conversion.</summary>
    public decimal? DealValue { get; init; }

    /// <summary>How the lead reached the store, and the table source's or file's name.</summary>
    public LeadPortal.Data.LeadOrigin Origin { get; init; }

    public string? OriginName { get; init; }

    /// <summary>The company's e-mail domain in lower-case punycode; null for a free or throwaway mail address.</summary>
    public string? CompanyDomain { get; init; }

    public QualityRating Quality { get; init; }

    public QualityReason QualityReasons { get; init; }

    /// <summary>The campaign id (mktcmpid) read from the Description.</summary>
    public string? CampaignId { get; init; }

    public string? CampaignSource { get; init; }

    /// <summary>Every campaign key found, as a JSON object.</summary>
    public string? CampaignFields { get; init; }

    /// <summary>The friendly label of <see cref="ActionCode"/>; empty when there is no code.</summary>
    // LeadActions.Label says "Unknown" for a missing code, which is right for the inbox but would be
    // written into a CRM as if it were data.
    public string ActionLabel =>
        string.IsNullOrWhiteSpace(ActionCode) ? "" : LeadActions.Label(ActionCode.Trim());

    /// <summary>Whether the lead asked not to be contacted (action code DNC, any case).</summary>
    public bool IsDoNotContact =>
        string.Equals(ActionCode?.Trim(), LeadActions.DoNotContact, StringComparison.OrdinalIgnoreCase);
}
