using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using LeadPortal.Data;
using LeadPortal.Intake;

namespace LeadPortal.TableIntake;

/// <summary>
/// One table entity as intake takes it. Partner Center's Azure Table destination writes <c>ActionCode</c>,
/// <c>CreatedTime</c>, <c>CustomerInfo</c> (the contact, as a JSON string), <c>Description</c>, <c>LeadSource</c> and
/// <c>OfferDisplayName</c>: they are put in the shape the endpoint's parser reads (the contact as <c>UserDetails</c>), so a
/// lead from the table is parsed, flagged and checked exactly as a posted one; the raw body kept is the entity itself.
/// </summary>
public static class TableLeads
{
    private static readonly HashSet<string> Keys = new(StringComparer.OrdinalIgnoreCase) { "PartitionKey", "RowKey", "Timestamp", "odata.etag" };

    /// <summary>The intake request for an entity of a source: parsed as far as it parses, never refused.</summary>
    public static IntakeWork ToWork(TableSource source, TableEntity entity)
    {
        var raw = RawJson(entity);
        var rawBytes = Encoding.UTF8.GetBytes(raw);
        if (!LeadPayloadParser.TryParse(LeadBody(entity), out var lead, out _))
        {
            // LeadBody writes only an object of text, which always parses: this is a guard, not a path.
            lead = new ParsedLead();
        }

        // When Partner Center wrote it into the table: the lead arrived then, however much later it is read.
        var receivedAt = (entity.Timestamp ?? DateTimeOffset.UnixEpoch).UtcDateTime;
        return new IntakeWork
        {
            Delivery = new DeliveryLogEntry { ReceivedAt = receivedAt, BodySize = rawBytes.Length },
            Lead = lead,
            RawBody = raw,
            BodyHash = SHA256.HashData(rawBytes),
            Origin = LeadOrigin.Table,
            OriginName = source.Name,
            OriginKey = OriginKey(source.Id, entity.PartitionKey, entity.RowKey),
        };
    }

    /// <summary>
    /// The source and the entity's PartitionKey and RowKey, hashed to a fixed width for the unique index. The partition
    /// key's length goes first, so that no two pairs of keys read the same (keys may hold any character).
    /// </summary>
    public static string OriginKey(int sourceId, string partitionKey, string rowKey) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{sourceId}:{partitionKey.Length}:{partitionKey}{rowKey}"))));

    /// <summary>The entity as JSON: its keys and Timestamp first, then every property as the table holds it.</summary>
    public static string RawJson(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("PartitionKey", entity.PartitionKey);
            json.WriteString("RowKey", entity.RowKey);
            if (entity.Timestamp is { } timestamp)
            {
                json.WriteString("Timestamp", timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            }

            foreach (var (name, value) in entity.Where(p => !Keys.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WritePropertyName(name);
                WriteValue(json, value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The entity in the shape Partner Center posts: the lead's fields at the top, the contact in UserDetails.</summary>
    public static byte[] LeadBody(TableEntity entity) => LeadBody(name => Text(entity, name));

    /// <summary>
    /// A stored table lead parsed again from its raw body (the entity as JSON, see <see cref="RawJson"/>), as reprocessing
    /// does after a parser change: the same fields as when it was read. False when the raw body is not a JSON object.
    /// </summary>
    public static bool TryParseStored(string rawJson, out ParsedLead lead)
    {
        lead = new ParsedLead();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(rawJson);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var root = document.RootElement;
            var body = LeadBody(name => Text(root, name));
            return LeadPayloadParser.TryParse(body, out lead, out _);
        }
    }

    private static byte[] LeadBody(Func<string, string?> text)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteText(json, "LeadSource", text("LeadSource"));
            WriteText(json, "ActionCode", text("ActionCode"));
            WriteText(json, "OfferTitle", text("OfferDisplayName"));
            WriteText(json, "Description", text("Description"));
            WriteText(json, "CreatedTime", text("CreatedTime"));
            if (Contact(text("CustomerInfo")) is { Count: > 0 } contact)
            {
                json.WriteStartObject("UserDetails");
                foreach (var (name, value) in contact)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// CustomerInfo's text fields; nothing when it is not a JSON object (the lead is stored without the contact, and the
    /// raw entity keeps what was there). A nested object or list in it is left out, not a reason to refuse the lead.
    /// </summary>
    private static List<(string Name, string Value)>? Contact(string? customerInfo)
    {
        if (string.IsNullOrWhiteSpace(customerInfo))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(customerInfo);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var fields = new List<(string, string)>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        fields.Add((property.Name, property.Value.GetString()!));
                        break;
                    case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                        fields.Add((property.Name, property.Value.GetRawText()));
                        break;
                }
            }

            return fields;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(TableEntity entity, string name)
    {
        foreach (var (key, value) in entity)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && value is not null)
            {
                return value switch
                {
                    string text => text,
                    DateTimeOffset at => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                    DateTime at => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                    IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                    _ => value.ToString(),
                };
            }
        }

        return null;
    }

    private static string? Text(JsonElement entity, string name)
    {
        foreach (var property in entity.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    _ => null,
                };
            }
        }

        return null;
    }

    private static void WriteText(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case DateTimeOffset at:
                json.WriteStringValue(at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTime at:
                json.WriteStringValue(at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                json.WriteBase64StringValue(bytes);
                break;
            case BinaryData data:
                json.WriteBase64StringValue(data.ToArray());
                break;
            case IFormattable formattable:
                json.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }
}
