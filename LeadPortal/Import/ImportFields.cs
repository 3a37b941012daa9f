using System.Text;
using LeadPortal.Mapping;

namespace LeadPortal.Import;

/// <summary>A lead field a column can fill, with the label the mapping step shows.</summary>
public sealed record ImportField(string Name, string Label);

/// <summary>
/// The fields an import fills and the header names that map to them by themselves: Partner Center's (its lead download
/// and co-sell files; neither is documented, so these are what the files seen so far carry, and
/// <see cref="ImportOptions.Aliases"/> adds more), LeadPortal's own export headers, and each CRM preset's headers.
/// </summary>
public static class ImportFields
{
    public const string FirstName = "FirstName";
    public const string LastName = "LastName";
    public const string FullName = "FullName";
    public const string Email = "Email";
    public const string Phone = "Phone";
    public const string Country = "Country";
    public const string Company = "Company";
    public const string Title = "Title";
    public const string OfferTitle = "OfferTitle";
    public const string OfferId = "OfferId";
    public const string ActionCode = "ActionCode";
    public const string LeadSource = "LeadSource";
    public const string Description = "Description";
    public const string ReceivedAt = "ReceivedAt";

    public static IReadOnlyList<ImportField> All { get; } =
    [
        new(Email, "E-mail"),
        new(FirstName, "First name"),
        new(LastName, "Last name"),
        new(FullName, "Full name (split into first and last)"),
        new(Company, "Company"),
        new(Title, "Job title"),
        new(Phone, "Phone"),
        new(Country, "Country"),
        new(OfferTitle, "Offer"),
        new(OfferId, "Offer ID"),
        new(ActionCode, "Action"),
        new(LeadSource, "Lead source"),
        new(Description, "Description"),
        new(ReceivedAt, "Received at (lead created)"),
    ];

    public static string Label(string? name) => All.FirstOrDefault(f => f.Name == name)?.Label ?? "Not imported";

    // Partner Center's lead download (Referrals › Leads) and co-sell files, as seen: undocumented, so editable in settings.
    private static readonly (string Field, string[] Headers)[] PartnerCenter =
    [
        (Email, ["Customer Contact Email Address", "Customer Contact Email", "Contact Email", "Email Address", "CustomerContactEmail", "E-mail"]),
        (FirstName, ["Customer Contact First Name", "Contact First Name", "CustomerContactFirstName"]),
        (LastName, ["Customer Contact Last Name", "Contact Last Name", "CustomerContactLastName"]),
        (FullName, ["Customer Contact Name", "Contact Name", "Name"]),
        (Company, ["Customer Name", "Customer Company Name", "Company Name", "CustomerCompanyName", "Organization"]),
        (Title, ["Customer Contact Job Title", "Contact Job Title", "Job Title", "CustomerContactTitle"]),
        (Phone, ["Customer Contact Phone Number", "Customer Contact Phone", "Contact Phone", "Phone Number", "CustomerContactPhone"]),
        (Country, ["Customer Country", "Customer Country/Region", "Country/Region", "CustomerCountry"]),
        (OfferTitle, ["Offer name", "Offer", "Offer Display Name", "OfferDisplayName", "Solution name"]),
        (OfferId, ["Offer ID", "OfferId"]),
        (ActionCode, ["Call to action", "Action", "Action code", "CallToAction"]),
        (LeadSource, ["Lead source", "LeadSource"]),
        (Description, ["Description", "Comments", "Notes", "Customer Comments"]),
        (ReceivedAt, ["LeadCreationDateTime", "Lead Creation Date Time", "Created date", "Created time", "CreatedTime", "Date created"]),
    ];

    // LeadPortal's own lead fields (export headers and names) that an import can fill.
    private static readonly Dictionary<string, string> ExportFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FirstName"] = FirstName, ["LastName"] = LastName, ["FullName"] = FullName, ["Email"] = Email, ["Phone"] = Phone,
        ["PhoneE164"] = Phone, ["Country"] = Country, ["Company"] = Company, ["Title"] = Title, ["OfferTitle"] = OfferTitle,
        ["OfferId"] = OfferId, ["ActionCode"] = ActionCode, ["ActionLabel"] = ActionCode, ["LeadSource"] = LeadSource,
        ["Description"] = Description, ["ReceivedAt"] = ReceivedAt,
    };

    private static readonly Lazy<Dictionary<string, string>> BuiltIn = new(Build);

    /// <summary>The field a header maps to by itself, or null; extra aliases from settings come first.</summary>
    public static string? ForHeader(string header, IReadOnlyDictionary<string, string[]>? extra = null)
    {
        var key = Key(header);
        if (extra is not null)
        {
            foreach (var (field, headers) in extra)
            {
                if (All.Any(f => string.Equals(f.Name, field, StringComparison.OrdinalIgnoreCase)) && headers.Any(h => Key(h) == key))
                {
                    return All.First(f => string.Equals(f.Name, field, StringComparison.OrdinalIgnoreCase)).Name;
                }
            }
        }

        return BuiltIn.Value.GetValueOrDefault(key);
    }

    /// <summary>A header as compared: lower case, without spaces, dashes, underscores, dots and brackets.</summary>
    public static string Key(string header)
    {
        var key = new StringBuilder(header.Length);
        foreach (var c in header)
        {
            if (char.IsLetterOrDigit(c) || c == '/')
            {
                key.Append(char.ToLowerInvariant(c));
            }
        }

        return key.ToString();
    }

    private static Dictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, headers) in PartnerCenter)
        {
            foreach (var header in headers)
            {
                map.TryAdd(Key(header), field);
            }
        }

        foreach (var lead in LeadFields.All)
        {
            if (ExportFields.TryGetValue(lead.Name, out var field))
            {
                map.TryAdd(Key(lead.Label), field);
                map.TryAdd(Key(lead.Name), field);
            }
        }

        // Each CRM preset's headers, by the lead field its column exports.
        foreach (var preset in Presets.All)
        {
            foreach (var column in preset.Definition.Columns)
            {
                if (column.Kind == ColumnValueKind.Field && column.Field is { } name && ExportFields.TryGetValue(name, out var field))
                {
                    map.TryAdd(Key(column.Header), field);
                }
            }
        }

        return map;
    }
}
