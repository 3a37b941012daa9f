using LeadPortal.Data;
using LeadPortal.Shared;

namespace LeadPortal.Quality;

/// <summary>How much a reason weighs: one strong reason makes a lead Low; one moderate or two weak ones make it Medium.</summary>
public enum QualityWeight
{
    Weak,
    Moderate,
    Strong,
}

/// <summary>What the rules read of a lead: its stored columns, and how many leads its address sent in the hour up to it.</summary>
public sealed record QualityInput
{
    public bool IsTest { get; init; }
    public string? ActionCode { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? EmailNormalized { get; init; }
    public Validity EmailValidity { get; init; }
    public bool EmailIsRole { get; init; }
    public EmailDomainKind EmailDomainKind { get; init; }
    public Validity PhoneValidity { get; init; }
    public string? Company { get; init; }

    /// <summary>Leads from the same address received in the hour up to this one's arrival, this one included.</summary>
    public int SameAddressWithinHour { get; init; } = 1;

    public static QualityInput From(Lead lead, int sameAddressWithinHour) => new()
    {
        IsTest = lead.IsTest,
        ActionCode = lead.ActionCode,
        FirstName = lead.FirstName,
        LastName = lead.LastName,
        EmailNormalized = lead.EmailNormalized,
        EmailValidity = lead.EmailValidity,
        EmailIsRole = lead.EmailIsRole,
        EmailDomainKind = lead.EmailDomainKind,
        PhoneValidity = lead.PhoneValidity,
        Company = lead.Company,
        SameAddressWithinHour = sameAddressWithinHour,
    };
}

/// <summary>One rule: the reason it gives, how much that weighs, and its words for the admin and the lead page.</summary>
/// <param name="Key">The rule's name in settings and the audit log: the reason's name.</param>
/// <param name="Says">The reason on a lead, as a sales rep reads it.</param>
/// <param name="Checks">What the rule looks at, for the admin deciding whether to switch it off.</param>
public sealed record QualityRule(QualityReason Reason, QualityWeight Weight, string Says, string Checks, Func<QualityInput, bool> Applies)
{
    public string Key => Reason.ToString();
}

/// <summary>A lead's rating and the reasons that made it.</summary>
public readonly record struct QualityResult(QualityRating Rating, QualityReason Reasons);

/// <summary>
/// The quality rules: plain code, each a table test in QualityRulesTests. A rule an admin switched off neither counts
/// nor shows. No rule reads the network or the clock; the one that needs other leads gets their count in its input.
/// </summary>
public static class QualityRules
{
    /// <summary>From this many leads an hour (this one included), an address is a burst rather than a buyer.</summary>
    public const int BurstLeads = 5;

    public static readonly TimeSpan BurstWindow = TimeSpan.FromHours(1);

    public static IReadOnlyList<QualityRule> All { get; } =
    [
        new(QualityReason.TestLead, QualityWeight.Strong, "Partner Center's test lead",
            "The lead carries Partner Center's MSFT_TEST marker.", i => i.IsTest),
        new(QualityReason.DoNotContact, QualityWeight.Strong, "Asked not to be contacted",
            "The lead's action is DNC (do not contact).", i => string.Equals(i.ActionCode, LeadActions.DoNotContact, StringComparison.OrdinalIgnoreCase)),
        new(QualityReason.DisposableDomain, QualityWeight.Strong, "Throwaway mail domain",
            "The address's domain is on the disposable-domain list (mailinator.com and the like).", i => i.EmailDomainKind == EmailDomainKind.Disposable),
        new(QualityReason.InvalidEmail, QualityWeight.Strong, "E-mail address no mail server takes",
            "The e-mail address is not one a mail server accepts (syntax, length, domain).", i => i.EmailValidity == Validity.Invalid),
        new(QualityReason.KeyboardName, QualityWeight.Strong, "Name is a keyboard pattern",
            "The name is a run of keys (asdf, qwerty), one key held down (aaaa), or has no letter at all.", i => IsKeyboardName(i.FirstName, i.LastName)),
        new(QualityReason.RepeatedAddress, QualityWeight.Strong, $"{BurstLeads} or more leads from this address within an hour",
            $"The same e-mail address sent {BurstLeads} or more leads in one hour.", i => i.SameAddressWithinHour >= BurstLeads),
        new(QualityReason.NameIsEmail, QualityWeight.Moderate, "Name repeats the e-mail address",
            "The name holds an e-mail address, or is the address's user name with digits (jsmith42).", i => NameRepeatsEmail(i.FirstName, i.LastName, i.EmailNormalized)),
        new(QualityReason.InvalidPhone, QualityWeight.Moderate, "Phone number not valid for the lead's country",
            "The phone number cannot be dialled as written, read with the lead's country.", i => i.PhoneValidity == Validity.Invalid),
        new(QualityReason.CompanyMissing, QualityWeight.Moderate, "No company given",
            "The lead names no company.", i => string.IsNullOrWhiteSpace(i.Company)),
        new(QualityReason.FreemailAddress, QualityWeight.Weak, "Free mail address, not the company's",
            "The address is at a free mail provider (gmail.com, outlook.com).", i => i.EmailDomainKind == EmailDomainKind.Freemail),
        new(QualityReason.RoleAddress, QualityWeight.Weak, "Shared mailbox (info@, sales@), not a person's",
            "The address is a role mailbox.", i => i.EmailIsRole),
    ];

    private static readonly Dictionary<QualityReason, QualityRule> ByReason = All.ToDictionary(r => r.Reason);

    /// <summary>Every reason a rule gives (the bits in use).</summary>
    public static QualityReason Known { get; } = All.Aggregate(QualityReason.None, (all, r) => all | r.Reason);

    /// <summary>Rates a lead with the rules that are on.</summary>
    public static QualityResult Rate(QualityInput input, QualityReason switchedOff = QualityReason.None)
    {
        var reasons = QualityReason.None;
        foreach (var rule in All)
        {
            if ((switchedOff & rule.Reason) == 0 && rule.Applies(input))
            {
                reasons |= rule.Reason;
            }
        }

        return new QualityResult(RatingOf(reasons), reasons);
    }

    /// <summary>One strong reason: Low. One moderate or two weak: Medium. Otherwise High.</summary>
    public static QualityRating RatingOf(QualityReason reasons)
    {
        int moderate = 0, weak = 0;
        foreach (var rule in All)
        {
            if ((reasons & rule.Reason) == 0)
            {
                continue;
            }

            switch (rule.Weight)
            {
                case QualityWeight.Strong:
                    return QualityRating.Low;
                case QualityWeight.Moderate:
                    moderate++;
                    break;
                default:
                    weak++;
                    break;
            }
        }

        return moderate > 0 || weak > 1 ? QualityRating.Medium : QualityRating.High;
    }

    /// <summary>The rules behind these reasons, strongest first (the order of <see cref="All"/>).</summary>
    public static IReadOnlyList<QualityRule> Explain(QualityReason reasons) => All.Where(r => (reasons & r.Reason) != 0).ToList();

    public static QualityRule Rule(QualityReason reason) => ByReason[reason];

    /// <summary>The reasons in words, joined: what an export column and the person's download carry.</summary>
    public static string Words(QualityReason reasons) => string.Join("; ", Explain(reasons).Select(r => r.Says));

    // Letter rows of QWERTY and AZERTY and the digit row, either way. Not QWERTZ's: "wertz" is a surname.
    private static readonly string[] KeyRows = ["qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn", "1234567890"];

    /// <summary>
    /// A name part that is wholly a run of four or more neighbouring keys (asdf, fdsa), holds a run of five (qwerty,
    /// "hasdfgh"), is one character four times or more (aaaa), or a name with no letter at all ("123", "..."). Four keys
    /// only as a whole part: "erty" is in Doherty.
    /// </summary>
    public static bool IsKeyboardName(string? first, string? last)
    {
        var name = $"{first} {last}".Trim().ToLowerInvariant();
        if (name.Length == 0)
        {
            return false;
        }

        if (!name.Any(char.IsLetter))
        {
            return true;
        }

        var parts = name.Split([' ', '-', '.', '_', ','], StringSplitOptions.RemoveEmptyEntries);

        foreach (var part in parts)
        {
            if (part.Length >= 4 && part.All(c => c == part[0]))
            {
                return true;
            }

            if ((part.Length >= 4 && IsKeyRun(part)) || HasKeyRun(part, 5))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A name that is an address (a name field with an @), or the address's user name when that has a digit in it
    /// (name "jsmith42", address jsmith42@…): a person's address made of their name ("maja.lindqvist@") is not this.
    /// </summary>
    public static bool NameRepeatsEmail(string? first, string? last, string? emailNormalized)
    {
        if ((first?.Contains('@') ?? false) || (last?.Contains('@') ?? false))
        {
            return true;
        }

        var at = emailNormalized?.LastIndexOf('@') ?? -1;
        if (at <= 0)
        {
            return false;
        }

        var local = Alphanumeric(emailNormalized![..at]);
        var name = Alphanumeric($"{first}{last}");
        return name.Length > 0 && name == local && local.Any(char.IsAsciiDigit);
    }

    private static string Alphanumeric(string text) => new(text.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    private static bool IsKeyRun(string part) => KeyRows.Any(row => row.Contains(part, StringComparison.Ordinal) || Reverse(row).Contains(part, StringComparison.Ordinal));

    private static bool HasKeyRun(string part, int length)
    {
        for (var i = 0; i + length <= part.Length; i++)
        {
            if (IsKeyRun(part.Substring(i, length)))
            {
                return true;
            }
        }

        return false;
    }

    private static string Reverse(string text)
    {
        var chars = text.ToCharArray();
        Array.Reverse(chars);
        return new string(chars);
    }
}
