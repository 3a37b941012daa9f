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

    /// <summary>
    /// Why the lead was disqualified (a <see cref="Data.DisqualifyReason"/>, required to disqualify it); null for any
    /// other status, or once an admin deleted the reason. No foreign key: on SQLite adding one rebuilds the whole leads
    /// table; deleting a reason clears it here instead.
    /// </summary>
    public int? DisqualifyReasonId { get; set; }

    /// <summary>The words that go with the reason (required for a reason that <see cref="Data.DisqualifyReason.NeedsText"/>).</summary>
    public string? DisqualifyNote { get; set; }

    /// <summary>The id the deal has in the CRM, recorded when the lead was converted.</summary>
    public string? CrmId { get; set; }

    /// <summary>What the deal is worth, in the team's currency, recorded when the lead was converted.</summary>
    public decimal? DealValue { get; set; }

    /// <summary>
    /// Raised by every change a user makes to the lead (status, owner, reason, deal), only if it is still the version
    /// that change read (Leads/LeadWorkflow.ClaimAsync): of two users changing the same lead at once, the second is told
    /// and saves nothing. Background writers (intake, reprocessing, rules) neither raise nor check it.
    /// </summary>
    public int Version { get; set; }

    /// <summary>
    /// When someone first answered this lead, UTC: the first of its status leaving New, a logged call, e-mail or
    /// meeting, or "Mark responded" (<see cref="LeadResponse.Note"/>). Null while nobody has. The response clocks run
    /// until it is set.
    /// </summary>
    public DateTime? FirstResponseAt { get; set; }

    /// <summary>
    /// When a first response is due, UTC, from the action and arrival by the response clock settings; null for a lead
    /// that runs no clock (DNC, test leads) or whose clock is not set yet (set just after intake). Kept once answered,
    /// so "answered in time" stays readable; a clock runs only while <see cref="FirstResponseAt"/> is null.
    /// </summary>
    public DateTime? ResponseDueAt { get; set; }

    /// <summary>
    /// When someone ticked "Accepted in Partner Center" on this Contact me lead, UTC (null: not accepted, or unticked).
    /// Partner Center's own status cannot be read back: this is what the team recorded.
    /// </summary>
    public DateTime? PartnerCenterAcceptedAt { get; set; }

    /// <summary>Who ticked it, as their name was then (the lead's timeline keeps every change).</summary>
    public string? PartnerCenterAcceptedBy { get; set; }

    /// <summary>SHA-256 of the raw body bytes, for spotting redeliveries.</summary>
    public byte[] BodyHash { get; set; } = [];

    public int? IntakeKeyId { get; set; }

    /// <summary>How the lead reached the store: posted to the endpoint, read from an Azure Table, or imported from a file.</summary>
    public LeadOrigin Origin { get; set; }

    /// <summary>Where it came from, for a lead that was not posted: the table source's name, or the imported file's name.</summary>
    public string? OriginName { get; set; }

    /// <summary>
    /// What identifies the lead where it came from, unique among leads (a table entity's source, PartitionKey and RowKey,
    /// hashed): a lead read again is recognised whatever its body now says. Null for posted leads.
    /// </summary>
    public string? OriginKey { get; set; }

    public LeadPayload? Payload { get; set; }

    public List<LeadTask> Tasks { get; set; } = [];
}

public enum LeadOrigin
{
    /// <summary>Posted by Partner Center to the HTTPS endpoint (every lead stored before origins were kept).</summary>
    Webhook = 0,

    /// <summary>Read from the Azure Table Partner Center writes leads to.</summary>
    Table = 1,

    /// <summary>Imported from a file.</summary>
    Import = 2,
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
