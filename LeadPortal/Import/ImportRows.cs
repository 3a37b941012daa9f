using System.Globalization;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Shared;

namespace LeadPortal.Import;

/// <summary>A row that becomes a lead: parsed as a posted lead is, with the body kept for it.</summary>
public sealed record ImportCandidate(int Row, ParsedLead Lead, DateTime ReceivedAt, string RawBody);

/// <summary>A row the import does not take, and why, in the report's words.</summary>
public sealed record ImportRowError(int Row, string? Column, string Reason)
{
    public string Describe() => Column is null ? $"Row {Row}: {Reason}" : $"Row {Row}, column '{Column}': {Reason}";
}

/// <summary>
/// One CSV row as a lead: its mapped cells are put in the shape Partner Center posts (the contact as <c>UserDetails</c>)
/// and read by the endpoint's own parser, so an imported lead is parsed, flagged and checked as a posted one. The raw body
/// kept is that shape with the row itself beside it (<c>ImportedRow</c>), so reprocessing reads it again the same way.
/// Cells are data: a cell that looks like a formula (<c>=HYPERLINK(…)</c>) is stored as its text, never evaluated.
/// </summary>
public static class ImportRows
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm tt", "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm", "M/d/yyyy",
    ];

    /// <summary>The origin key of a row of an import: unique among leads, and what Undo and a resumed import find it by.</summary>
    public static string OriginKey(long runId, int row) => string.Create(CultureInfo.InvariantCulture, $"import:{runId}:{row}");

    /// <summary>The prefix of every origin key of an import's leads.</summary>
    public static string OriginPrefix(long runId) => string.Create(CultureInfo.InvariantCulture, $"import:{runId}:");

    /// <summary>The import run an imported lead came from, read from its origin key; null for any other lead.</summary>
    public static long? RunOf(string? originKey)
    {
        if (originKey is null || !originKey.StartsWith("import:", StringComparison.Ordinal))
        {
            return null;
        }

        var end = originKey.IndexOf(':', 7);
        return end > 7 && long.TryParse(originKey.AsSpan(7, end - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>The row as a lead, or why not.</summary>
    /// <param name="mapping">Per column, the field it fills (<see cref="ImportFields"/>), or null.</param>
    public static (ImportCandidate? Lead, ImportRowError? Error) Convert(
        int row, string[] cells, IReadOnlyList<string> headers, IReadOnlyList<string?> mapping, DateTime now)
    {
        if (cells.Length > headers.Count && cells.Skip(headers.Count).Any(c => c.Length > 0))
        {
            return (null, new ImportRowError(row, null,
                $"it has {cells.Length:N0} cells and the header {headers.Count:N0}; a separator inside a cell that is not quoted?"));
        }

        var values = new Dictionary<string, (string Value, string Column)>(StringComparer.Ordinal);
        for (var i = 0; i < mapping.Count && i < cells.Length; i++)
        {
            var value = cells[i].Replace("\0", "", StringComparison.Ordinal).Trim();
            if (mapping[i] is { } field && value.Length > 0)
            {
                values.TryAdd(field, (value, ImportCsvReader.ColumnName(headers, i)));
            }
        }

        string? Get(string field) => values.TryGetValue(field, out var v) ? v.Value : null;
        string ColumnOf(string field) =>
            values.TryGetValue(field, out var v) ? v.Column
            : mapping.Select((f, i) => (f, i)).Where(p => p.f == field).Select(p => ImportCsvReader.ColumnName(headers, p.i)).FirstOrDefault() ?? ImportFields.Label(field);

        var email = Get(ImportFields.Email);
        if (email is null)
        {
            return (null, new ImportRowError(row, ColumnOf(ImportFields.Email), "empty; every lead needs an e-mail address."));
        }

        if (!MailAddress.TryCreate(email, out var address) || address.Address != email || !email.Contains('@', StringComparison.Ordinal))
        {
            return (null, new ImportRowError(row, ColumnOf(ImportFields.Email), $"'{Short(email)}' is not an e-mail address."));
        }

        var receivedAt = now;
        if (Get(ImportFields.ReceivedAt) is { } created)
        {
            if (!TryParseDate(created, out receivedAt))
            {
                return (null, new ImportRowError(row, ColumnOf(ImportFields.ReceivedAt),
                    $"'{Short(created)}' is not a date and time (write it as 2026-05-01 14:30:00, in UTC, or as 5/1/2026 2:30:00 PM)."));
            }

            if (receivedAt > now.AddDays(1))
            {
                return (null, new ImportRowError(row, ColumnOf(ImportFields.ReceivedAt), $"{receivedAt:yyyy-MM-dd HH:mm} is in the future."));
            }
        }

        var (first, last) = (Get(ImportFields.FirstName), Get(ImportFields.LastName));
        if (first is null && last is null && Get(ImportFields.FullName) is { } full)
        {
            var space = full.LastIndexOf(' ');
            (first, last) = space > 0 ? (full[..space].Trim(), full[(space + 1)..]) : (null, full);
        }

        var body = Body(Get(ImportFields.LeadSource), Action(Get(ImportFields.ActionCode)), Get(ImportFields.OfferTitle), Get(ImportFields.Description),
            receivedAt, first, last, email, Get(ImportFields.Phone), Get(ImportFields.Country), Get(ImportFields.Company), Get(ImportFields.Title),
            headers, cells);
        if (!LeadPayloadParser.TryParse(body, out var lead, out var error))
        {
            // Body writes only an object of text, which always parses: a guard, not a path.
            return (null, new ImportRowError(row, null, error?.Detail ?? "it could not be read as a lead."));
        }

        if (Get(ImportFields.OfferId) is { } offerId)
        {
            lead = lead with { OfferId = offerId };
        }

        return (new ImportCandidate(row, lead, receivedAt, Encoding.UTF8.GetString(body)), null);
    }

    /// <summary>Partner Center's words for an action (its download writes labels, not codes), as the code.</summary>
    public static string? Action(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var key = ImportFields.Key(value);
        foreach (var (code, label) in LeadActions.Known)
        {
            if (key == ImportFields.Key(code) || key == ImportFields.Key(label) || key == ImportFields.Key(LeadActions.ShortLabel(code)))
            {
                return code;
            }
        }

        return key switch
        {
            "freetrial" or "tryitnow" or "trial" or "getitnowfreetrial" => LeadActions.GetItNow,
            "contactme" or "requestademo" or "contact" => LeadActions.ContactMe,
            "azureportal" or "azureportalpurchase" or "purchase" => LeadActions.AzurePortal,
            _ => value,
        };
    }

    public static bool TryParseDate(string text, out DateTime utc)
    {
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces;
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, styles, out utc)
            || DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out utc))
        {
            utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
            return true;
        }

        return false;
    }

    private static byte[] Body(string? leadSource, string? action, string? offer, string? description, DateTime created,
        string? first, string? last, string email, string? phone, string? country, string? company, string? title,
        IReadOnlyList<string> headers, string[] cells)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Write(json, "LeadSource", leadSource);
            Write(json, "ActionCode", action);
            Write(json, "OfferTitle", offer);
            Write(json, "Description", description);
            json.WriteString("CreatedTime", created.ToString("O", CultureInfo.InvariantCulture));
            json.WriteStartObject("UserDetails");
            Write(json, "FirstName", first);
            Write(json, "LastName", last);
            json.WriteString("Email", email);
            Write(json, "Phone", phone);
            Write(json, "Country", country);
            Write(json, "Company", company);
            Write(json, "Title", title);
            json.WriteEndObject();
            json.WriteStartObject("ImportedRow");
            for (var i = 0; i < headers.Count && i < cells.Length; i++)
            {
                if (cells[i].Length > 0)
                {
                    json.WriteString(ImportCsvReader.ColumnName(headers, i), cells[i].Replace("\0", "", StringComparison.Ordinal));
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static string Short(string value) => value.Length > 80 ? value[..80] + "…" : value;

    /// <summary>The work for the lead writer: an import's lead, known by its run and row.</summary>
    public static IntakeWork ToWork(ImportCandidate candidate, long runId, string fileName)
    {
        var raw = Encoding.UTF8.GetBytes(candidate.RawBody);
        return new IntakeWork
        {
            Delivery = new DeliveryLogEntry { ReceivedAt = candidate.ReceivedAt, BodySize = raw.Length },
            Lead = candidate.Lead,
            RawBody = candidate.RawBody,
            BodyHash = SHA256.HashData(raw),
            Origin = LeadOrigin.Import,
            OriginName = fileName.Length > 260 ? fileName[..260] : fileName,
            OriginKey = OriginKey(runId, candidate.Row),
        };
    }
}
