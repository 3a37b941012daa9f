using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using LeadPortal.Data;
using LeadPortal.Quality;
using LeadPortal.Shared;

namespace LeadPortal.Intake;

/// <summary>The parsed columns of a lead, derived from its raw body alone.</summary>
public sealed record ParsedLead
{
    public string? Source { get; init; }
    public string? ActionCode { get; init; }
    public string? OfferId { get; init; }
    public string? OfferTitle { get; init; }
    public string? LeadSourceRaw { get; init; }
    public string? Description { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? EmailNormalized { get; init; }
    public Validity EmailValidity { get; init; }
    public bool EmailIsRole { get; init; }
    public EmailDomainKind EmailDomainKind { get; init; }
    public string? CompanyDomain { get; init; }
    public string? Phone { get; init; }
    public string? PhoneE164 { get; init; }
    public string? PhoneNational { get; init; }
    public string? PhoneExtension { get; init; }
    public PhoneType PhoneType { get; init; }
    public Validity PhoneValidity { get; init; }
    public string? Country { get; init; }
    public string? Company { get; init; }
    public string? Title { get; init; }
    public bool IsTest { get; init; }

    /// <summary>Copies the parsed columns onto a stored lead (used by reprocessing after a parser change).</summary>
    public void ApplyTo(Lead lead)
    {
        lead.Source = Source;
        lead.ActionCode = ActionCode;
        lead.OfferId = OfferId;
        lead.OfferTitle = OfferTitle;
        lead.LeadSourceRaw = LeadSourceRaw;
        lead.Description = Description;
        lead.FirstName = FirstName;
        lead.LastName = LastName;
        lead.Email = Email;
        lead.EmailNormalized = EmailNormalized;
        lead.EmailValidity = EmailValidity;
        lead.EmailIsRole = EmailIsRole;
        lead.EmailDomainKind = EmailDomainKind;
        lead.CompanyDomain = CompanyDomain;
        lead.Phone = Phone;
        lead.PhoneE164 = PhoneE164;
        lead.PhoneNational = PhoneNational;
        lead.PhoneExtension = PhoneExtension;
        lead.PhoneType = PhoneType;
        lead.PhoneValidity = PhoneValidity;
        lead.Country = Country;
        lead.Company = Company;
        lead.Title = Title;
        lead.IsTest = IsTest;
    }
}

/// <summary>What was wrong with a body, in words an admin reading the delivery log understands.</summary>
public sealed record PayloadError(string Detail);

/// <summary>
/// A lenient reader of Partner Center's lead JSON: property names in any case, every field optional,
/// null as absent, numbers and booleans as their text, unknown properties ignored (the raw body keeps them).
/// </summary>
public static class LeadPayloadParser
{
    public const string TestMarker = "MSFT_TEST";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static bool TryParse(ReadOnlyMemory<byte> body, out ParsedLead lead, out PayloadError? error)
    {
        lead = new ParsedLead();
        error = null;

        var span = body.Span;
        if (span.StartsWith(Encoding.UTF8.Preamble))
        {
            body = body[Encoding.UTF8.Preamble.Length..];
            span = body.Span;
        }

        if (span.Trim(" \t\r\n"u8).IsEmpty)
        {
            error = new PayloadError("The request body is empty; a lead is a JSON object.");
            return false;
        }

        if (span is [0x1F, 0x8B, ..])
        {
            error = new PayloadError("The request body is gzip-compressed but no Content-Encoding header says so; send it as plain JSON, or with Content-Encoding: gzip.");
            return false;
        }

        if (!Utf8.IsValid(span))
        {
            error = new PayloadError("The request body is not valid UTF-8 text.");
            return false;
        }

        JsonDocument document;
        try
        {
            // System.Text.Json cannot turn an escaped lone surrogate into a string; the raw body keeps it as sent.
            document = JsonDocument.Parse(JsonEscapes.WithoutLoneSurrogates(body), DocumentOptions);
        }
        catch (JsonException ex)
        {
            error = new PayloadError($"The request body is not valid JSON: {ex.Message}");
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = new PayloadError($"The request body must be a JSON object, not {Describe(root.ValueKind)}.");
                return false;
            }

            JsonElement? user = null;
            if (TryGetProperty(root, "UserDetails", out var userDetails) && userDetails.ValueKind != JsonValueKind.Null)
            {
                if (userDetails.ValueKind != JsonValueKind.Object)
                {
                    error = new PayloadError($"UserDetails must be an object, not {Describe(userDetails.ValueKind)}.");
                    return false;
                }

                user = userDetails;
            }

            var reader = new FieldReader(root, user);
            var leadSource = reader.Top("LeadSource");
            var actionCode = reader.Top("ActionCode");
            var offerTitle = reader.Top("OfferTitle");
            var description = reader.Top("Description");
            var firstName = reader.Person("FirstName");
            var lastName = reader.Person("LastName");
            var email = reader.Person("Email");
            var phone = reader.Person("Phone");
            var country = reader.Person("Country");
            var company = reader.Person("Company");
            var title = reader.Person("Title");
            if (reader.Error is not null)
            {
                error = reader.Error;
                return false;
            }

            var parts = LeadSourceParser.Parse(leadSource);
            // One country, one value: "US", "USA" and "United States" are all US (filters, totals and the
            // dashboard group by it); an unknown value stays as sent, and the raw body keeps the original.
            var iso2 = country is null ? null : Shared.Countries.ToIso2(country.Trim());
            // On the 2xx path: both together cost 3–9 µs a lead, libphonenumber nearly all of it (docs/decisions/004).
            var mail = EmailFacts.Parse(email);
            var number = PhoneFacts.Parse(phone, iso2);
            lead = new ParsedLead
            {
                LeadSourceRaw = leadSource,
                Source = parts.Source,
                // The top-level ActionCode is what Partner Center states; LeadSource's action is the fallback.
                ActionCode = LeadActions.Canonical(actionCode ?? parts.Action),
                OfferId = parts.Offer,
                OfferTitle = offerTitle,
                Description = description,
                FirstName = firstName,
                LastName = lastName,
                Email = email,
                EmailNormalized = mail.Normalized,
                EmailValidity = mail.Validity,
                EmailIsRole = mail.IsRole,
                EmailDomainKind = mail.DomainKind,
                CompanyDomain = mail.CompanyDomain,
                Phone = phone,
                PhoneE164 = number.E164,
                PhoneNational = number.National,
                PhoneExtension = number.Extension,
                PhoneType = number.Type,
                PhoneValidity = number.Validity,
                Country = iso2,
                Company = company,
                Title = title,
                IsTest = IsTestValue(firstName) || IsTestValue(lastName) || IsTestValue(email)
                    || IsTestValue(company) || IsTestValue(title),
            };
            return true;
        }
    }

    private static bool IsTestValue(string? value) =>
        value is not null && value.Contains(TestMarker, StringComparison.OrdinalIgnoreCase);

    private static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
    {
        // An exact match first, then any case; among several spellings the first non-null wins.
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind != JsonValueKind.Null)
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private sealed class FieldReader(JsonElement root, JsonElement? user)
    {
        public PayloadError? Error { get; private set; }

        public string? Top(string name) => Read(root, name, name);

        /// <summary>Person fields live in UserDetails; a flat body that has them at the top is read too.</summary>
        public string? Person(string name)
        {
            if (user is { } details)
            {
                var value = Read(details, name, $"UserDetails.{name}");
                if (value is not null || Error is not null)
                {
                    return value;
                }
            }

            return Read(root, name, name);
        }

        private string? Read(JsonElement obj, string name, string path)
        {
            if (Error is not null || !TryGetProperty(obj, name, out var value))
            {
                return null;
            }

            string? text;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    text = value.GetString();
                    break;
                case JsonValueKind.Number:
                    text = value.GetRawText();
                    break;
                case JsonValueKind.True:
                    text = "true";
                    break;
                case JsonValueKind.False:
                    text = "false";
                    break;
                case JsonValueKind.Object or JsonValueKind.Array:
                    Error = new PayloadError($"{path} must be text, not {Describe(value.ValueKind)}.");
                    return null;
                default:
                    return null;
            }

            // U+0000 (JSON's \u0000) means nothing in a name or an address, and PostgreSQL's text refuses it: a lead must
            // not be lost for it, so it is dropped here. The raw body keeps it, escaped as it was sent.
            text = text?.Replace("\0", "", StringComparison.Ordinal).Trim();
            return string.IsNullOrEmpty(text) ? null : text;
        }
    }
}
