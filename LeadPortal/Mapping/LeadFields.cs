using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using LeadPortal.Quality;
using LeadPortal.Shared;

namespace LeadPortal.Mapping;

/// <summary>The catalogue of lead fields a profile can export.</summary>
public static class LeadFields
{
    /// <summary>The notes field: read from the database only for a profile that uses it (see <see cref="CompiledMapping.ReadsNotes"/>).</summary>
    public const string NotesField = "Notes";

    public static IReadOnlyList<LeadField> All { get; } =
    [
        new("LeadId", "Lead ID", (r, _) => r.Id.ToString(CultureInfo.InvariantCulture)),
        new("ReceivedAt", "Received at", (r, d) => d.Render(r.ReceivedAt), r => r.ReceivedAt),
        new("Source", "Source", (r, _) => r.Source),
        new("ActionCode", "Action code", (r, _) => r.ActionCode),
        new("ActionLabel", "Action", (r, _) => r.ActionLabel),
        new("OfferId", "Offer ID", (r, _) => r.OfferId),
        new("OfferTitle", "Offer", (r, _) => r.OfferTitle),
        new("LeadSource", "Lead source (raw)", (r, _) => r.LeadSourceRaw),
        new("Description", "Description", (r, _) => r.Description),
        // Read from the Description (mktcmpid, src, and every other key as one JSON object): e.g. a Salesforce Campaign
        // or HubSpot properties.
        new("CampaignId", "Campaign (mktcmpid)", (r, _) => r.CampaignId),
        new("CampaignSource", "Campaign source (src)", (r, _) => r.CampaignSource),
        new("CampaignFields", "Campaign fields (JSON)", (r, _) => r.CampaignFields),
        new("FirstName", "First name", (r, _) => r.FirstName),
        new("LastName", "Last name", (r, _) => r.LastName),
        new("FullName", "Full name", (r, _) => FullName(r)),
        new("Email", "Email", (r, _) => r.Email),
        // Partner Center's words: Valid, Invalid, Unknown (no address, or a lead not reprocessed since the check came).
        new("EmailValidity", "Email validity", (r, _) => r.EmailValidity.ToString()),
        new("Phone", "Phone", (r, _) => r.Phone),
        // Empty for an invalid number: a CRM that validates numbers (HubSpot) refuses what cannot be dialled anyway.
        new("PhoneE164", "Phone (E.164)", (r, _) => r.PhoneE164),
        new("PhoneExtension", "Phone extension", (r, _) => r.PhoneExtension),
        new("PhoneValidity", "Phone validity", (r, _) => r.PhoneValidity.ToString()),
        new("Country", "Country", (r, _) => r.Country),
        new("Company", "Company", (r, _) => r.Company),
        // Partner Center's Lead quality in its words (High, Medium, Low); empty while the lead is not rated yet.
        new("Quality", "Quality", (r, _) => r.Quality == QualityRating.Unrated ? null : r.Quality.ToString()),
        new("QualityReasons", "Quality reasons", (r, _) => QualityRules.Words(r.QualityReasons)),
        // As DNS has it (punycode): a CRM matching accounts by website domain compares it so.
        new("CompanyDomain", "Company domain", (r, _) => r.CompanyDomain),
        new("Title", "Job title", (r, _) => r.Title),
        new("Status", "Status", (r, _) => r.Status),
        new("Owner", "Owner", (r, _) => r.OwnerName),
        new("OwnerEmail", "Owner's email", (r, _) => r.OwnerEmail),
        new(NotesField, "Notes", (r, _) => r.Notes),
        new("DisqualifyReason", "Disqualify reason", (r, _) => r.DisqualifyReason),
        new("DisqualifyNote", "Disqualify note", (r, _) => r.DisqualifyNote),
        new("CrmId", "CRM id", (r, _) => r.CrmId),
        // Invariant digits with a point (12500.00): what CRM importers read as a number whatever the user's locale.
        new("DealValue", "Deal value", (r, _) => r.DealValue?.ToString("0.00", CultureInfo.InvariantCulture)),
        // Yes/No rather than True/False: Dynamics reads two-option fields by label, Salesforce and HubSpot accept both.
        new("IsTest", "Test lead", (r, _) => r.IsTest ? "Yes" : "No"),
        // Endpoint, Azure Table or Import; with the table source's or the file's name beside it.
        new("Origin", "Origin", (r, _) => LeadPortal.Shared.LeadOrigins.Label(r.Origin)),
        new("OriginName", "Origin name", (r, _) => r.OriginName),
    ];

    private static readonly Dictionary<string, LeadField> ByName =
        All.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Finds a field by name, ignoring case and surrounding whitespace.</summary>
    public static bool TryGet(string? name, [NotNullWhen(true)] out LeadField? field)
    {
        field = null;
        return name is not null && ByName.TryGetValue(name.Trim(), out field);
    }

    private static string FullName(LeadRow row)
    {
        var first = row.FirstName?.Trim();
        var last = row.LastName?.Trim();
        if (string.IsNullOrEmpty(first))
        {
            return last ?? "";
        }

        return string.IsNullOrEmpty(last) ? first : first + " " + last;
    }
}
