using LeadPortal.Shared;
using PhoneNumbers;

namespace LeadPortal.Quality;

/// <summary>
/// A lead's phone number as libphonenumber reads it. Only a valid number has the derived forms: an invalid one keeps
/// just its raw text (on the lead), so nothing matches or exports a number that cannot be dialled.
/// </summary>
/// <param name="E164">The number in E.164 (<c>+46701234567</c>), without the extension.</param>
/// <param name="National">The number as it is written in its own country (<c>070-123 45 67</c>), without the extension.</param>
/// <param name="Extension">The extension's digits, apart: an extension is dialled after the call connects.</param>
public sealed partial record PhoneFacts(Validity Validity, string? E164, string? National, string? Extension, PhoneType Type)
{
    public static readonly PhoneFacts None = new(Validity.Unknown, null, null, null, PhoneType.Unknown);

    public static readonly PhoneFacts Invalid = new(Validity.Invalid, null, null, null, PhoneType.Unknown);

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    private static readonly HashSet<string> Regions = Util.GetSupportedRegions();

    /// <summary>
    /// Reads a number with the lead's country (ISO 3166 alpha-2, as intake keeps it) for numbers written without a
    /// country code. Never throws: a missing number is Unknown, anything unreadable Invalid.
    /// </summary>
    public static PhoneFacts Parse(string? raw, string? country)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return None;
        }

        // libphonenumber refuses longer input itself (250 characters); saying so here spares it the work.
        if (raw.Length > MaxLength)
        {
            return Invalid;
        }

        // Text without a digit is no number; libphonenumber would say so by throwing, which costs more than the rest.
        if (!raw.AsSpan().ContainsAnyInRange('0', '9') && !raw.Any(char.IsDigit))
        {
            return Invalid;
        }

        var region = country is { Length: 2 } && Regions.Contains(country.ToUpperInvariant()) ? country.ToUpperInvariant() : UnknownRegion;
        var text = raw.Trim();
        var number = TryParse(text, region);
        // "00" is the international prefix in most of the world but not everywhere (the US dials 011), and a lead
        // whose country is unknown has no prefix to go by: a number that only reads as "+…" is taken as that.
        if ((number is null || !Util.IsValidNumber(number)) && text.StartsWith("00", StringComparison.Ordinal))
        {
            number = TryParse("+" + text[2..], UnknownRegion) ?? number;
        }

        if (number is null || !Util.IsValidNumber(number))
        {
            return Invalid;
        }

        var main = new PhoneNumber.Builder().MergeFrom(number).ClearExtension().Build();
        return new PhoneFacts(
            Validity.Valid,
            Util.Format(main, PhoneNumberFormat.E164),
            Util.Format(main, PhoneNumberFormat.NATIONAL),
            number.HasExtension && number.Extension.Length > 0 ? number.Extension : null,
            TypeOf(Util.GetNumberType(main)));
    }

    /// <summary>An E.164 number written for people in any country (<c>+46 70 123 45 67</c>); the input when it is not one.</summary>
    public static string International(string e164) =>
        TryParse(e164, UnknownRegion) is { } number ? Util.Format(number, PhoneNumberFormat.INTERNATIONAL) : e164;

    /// <summary>
    /// An RFC 3966 link: the global number without separators, the extension as its own parameter
    /// (<c>tel:+14255550100;ext=123</c>), so that a phone dials the number and not its extension glued on.
    /// </summary>
    public static string TelUri(string e164, string? extension) =>
        "tel:" + e164 + (string.IsNullOrEmpty(extension) ? "" : ";ext=" + extension);

    /// <summary>
    /// The tap-to-call link for a lead's number: <see cref="TelUri"/> for a valid one; otherwise the digits (and a leading
    /// +) as sent, without an extension, so that a number libphonenumber's metadata does not know yet can still be dialled;
    /// none without at least three digits.
    /// </summary>
    public static string? LinkFor(string? raw, string? e164, string? extension)
    {
        if (e164 is not null)
        {
            return TelUri(e164, extension);
        }

        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var main = WithoutExtension(raw).Trim();
        var digits = new string(main.Where(char.IsAsciiDigit).ToArray());
        return digits.Length < 3 ? null : "tel:" + (main.StartsWith('+') ? "+" : "") + digits;
    }

    /// <summary>The number without an extension written after it ("ext. 12", "x12", "#12", ";ext=12").</summary>
    public static string WithoutExtension(string raw) => ExtensionSuffix().Replace(raw, "");

    [System.Text.RegularExpressions.GeneratedRegex(@"(?i)\s*(?:ext\.?|extension|x|#|;ext=)\s*\d+\s*$")]
    private static partial System.Text.RegularExpressions.Regex ExtensionSuffix();

    private const string UnknownRegion = "ZZ";

    /// <summary>No number, however written, is longer (libphonenumber's own limit).</summary>
    public const int MaxLength = 250;

    private static PhoneNumber? TryParse(string text, string region)
    {
        try
        {
            return Util.Parse(text, region);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static PhoneType TypeOf(PhoneNumberType type) => type switch
    {
        PhoneNumberType.MOBILE => PhoneType.Mobile,
        PhoneNumberType.FIXED_LINE => PhoneType.FixedLine,
        PhoneNumberType.FIXED_LINE_OR_MOBILE => PhoneType.FixedLineOrMobile,
        PhoneNumberType.TOLL_FREE => PhoneType.TollFree,
        PhoneNumberType.PREMIUM_RATE => PhoneType.PremiumRate,
        PhoneNumberType.SHARED_COST => PhoneType.SharedCost,
        PhoneNumberType.VOIP => PhoneType.Voip,
        PhoneNumberType.PERSONAL_NUMBER => PhoneType.Personal,
        PhoneNumberType.PAGER => PhoneType.Pager,
        PhoneNumberType.UAN => PhoneType.Uan,
        PhoneNumberType.VOICEMAIL => PhoneType.Voicemail,
        _ => PhoneType.Unknown,
    };
}
