using LeadPortal.Shared;

namespace LeadPortal.Data;

/// <summary>One lead as Partner Center delivered it: parsed columns for querying, the raw body in <see cref="Payload"/>.</summary>
public sealed class Lead
{
    public long Id { get; set; }

    /// <summary>When the endpoint received it, UTC.</summary>
    public DateTime ReceivedAt { get; set; }

    /// <summary>Source part of LeadSource (AzureMarketplace, AzurePortal, AppSource, ...), verbatim.</summary>
    public string? Source { get; set; }

    /// <summary>INS, PLT, DNC, Create, StartTestDrive, or an unknown code verbatim.</summary>
    public string? ActionCode { get; set; }

    /// <summary><c>publisher.offer</c> from LeadSource.</summary>
    public string? OfferId { get; set; }

    public string? OfferTitle { get; set; }
    public string? LeadSourceRaw { get; set; }
    public string? Description { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }

    /// <summary>
    /// Groups the leads of one person: lower case, an internationalised domain in punycode (Quality/EmailFacts); an
    /// invalid address in lower case as it came. Leads stored before punycode keep the Unicode domain until reprocessed.
    /// </summary>
    public string? EmailNormalized { get; set; }

    /// <summary>Whether the address is one a mail server takes (Unknown: none was sent).</summary>
    public Validity EmailValidity { get; set; }

    /// <summary>A shared mailbox (info@, sales@, noreply@), not a person's.</summary>
    public bool EmailIsRole { get; set; }

    /// <summary>Whether the address's domain is a free or throwaway mail provider's, by the vendored lists.</summary>
    public EmailDomainKind EmailDomainKind { get; set; }

    /// <summary>
    /// The customer's company's domain (lower-case punycode): a valid address's domain unless it is a free or throwaway
    /// mail provider's. Groups the people of one company.
    /// </summary>
    public string? CompanyDomain { get; set; }

    /// <summary>The phone number as Partner Center sent it; the derived forms below are read from it with <see cref="Country"/>.</summary>
    public string? Phone { get; set; }

    /// <summary>A valid number in E.164 without its extension (<c>+46701234567</c>): what matches and exports; null otherwise.</summary>
    public string? PhoneE164 { get; set; }

    /// <summary>A valid number as written in its own country (<c>070-123 45 67</c>), without the extension.</summary>
    public string? PhoneNational { get; set; }

    /// <summary>The extension's digits, kept apart from the number.</summary>
    public string? PhoneExtension { get; set; }

    public PhoneType PhoneType { get; set; }

    public Validity PhoneValidity { get; set; }
    public string? Country { get; set; }
    public string? Company { get; set; }
    public string? Title { get; set; }

    /// <summary>
    /// How likely the lead is a real buyer, by the quality rules; Unrated until the outbox dispatcher rates it (seconds
    /// after arrival) or the backfill does. The reasons behind it are <see cref="QualityReasons"/>.
    /// </summary>
    public QualityRating Quality { get; set; }

    /// <summary>The rules (switched on) that spoke against the lead, one bit each.</summary>
    public QualityReason QualityReasons { get; set; }

    /// <summary>
    /// The campaign id (<c>mktcmpid</c>) a publisher's offer link put into <see cref="Description"/>, read by the campaign
    /// parser after arrival; the Description itself is kept as sent.
    /// </summary>
    public string? CampaignId { get; set; }

    /// <summary>The link's source tag (<c>src</c>).</summary>
    public string? CampaignSource { get; set; }

    /// <summary>Every campaign key found, as one JSON object of strings (mktcmpid and src included); null when none.</summary>
    public string? CampaignFields { get; set; }

    /// <summary>Partner Center's validation lead (MSFT_TEST values).</summary>
    public bool IsTest { get; set; }

    public LeadStatus Status { get; set; } = LeadStatus.New;

    public string? OwnerId { get; set; }
    public AppUser? Owner { get; set; }

    /// <summary>The day someone means to get back to this lead ("call back Thursday"), in the team's own reckoning.</summary>
    public DateOnly? FollowUpOn { get; set; }

    /// <summary>
    /// When someone first answered this lead, UTC: the first of its status leaving New, a logged call, e-mail or
    /// meeting, or "Mark responded" (<see cref="LeadResponse.Note"/>). Null while nobody has. The response clocks run
    /// until it is set.
    /// </summary>
    public DateTime? FirstResponseAt { get; set; }

    /// <summary>SHA-256 of the raw body bytes, for spotting redeliveries.</summary>
    public byte[] BodyHash { get; set; } = [];

    public int? IntakeKeyId { get; set; }

    public LeadPayload? Payload { get; set; }
}

/// <summary>The one place a lead's first response is recorded, so every way of answering a lead counts the same.</summary>
public static class LeadResponse
{
    /// <summary>Records <paramref name="at"/> as the first response unless the lead already has one. True when it did not.</summary>
    public static bool Note(Lead lead, DateTime at)
    {
        if (lead.FirstResponseAt is not null)
        {
            return false;
        }

        lead.FirstResponseAt = at;
        return true;
    }

    /// <summary>The activities that count as answering the lead.</summary>
    public static bool IsResponse(LeadActivityKind kind) => kind is LeadActivityKind.Call or LeadActivityKind.Email
        or LeadActivityKind.Meeting or LeadActivityKind.MarkedResponded;
}

public enum LeadStatus
{
    New = 0,
    Contacted = 1,
    Qualified = 2,
    Disqualified = 3,
    Converted = 4,
}

/// <summary>The raw body, kept apart so lead queries scan narrow rows.</summary>
public sealed class LeadPayload
{
    public long LeadId { get; set; }
    public string Body { get; set; } = "";
}
