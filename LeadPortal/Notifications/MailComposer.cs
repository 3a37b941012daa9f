using System.Globalization;
using System.Net;
using System.Text;
using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Responses;
using LeadPortal.Shared;

namespace LeadPortal.Notifications;

/// <summary>A mail's content: subject, plain text and HTML (every value HTML-encoded).</summary>
public sealed record MailContent(string Subject, string Text, string Html);

/// <summary>The digest's "at risk" part: the first leads of each kind, and how many there are.</summary>
public sealed record AtRiskLeads(IReadOnlyList<Lead> Overdue, int OverdueCount, IReadOnlyList<Lead> Expiring, int ExpiringCount)
{
    public int Total => OverdueCount + ExpiringCount;
}

/// <summary>
/// Writes the mails. Never the intake key; for Partner Center's validation lead nothing but that it arrived (its
/// values are Microsoft's test data, and a lead's data has no place in a mail about a test).
/// </summary>
public sealed class MailComposer(PortalLinks links)
{
    public MailContent NewLead(Lead lead)
    {
        if (lead.IsTest)
        {
            return ValidationLead(lead.Id);
        }

        var action = LeadActions.Label(lead.ActionCode);
        var who = Person(lead);
        var subject = Clean($"{(lead.ActionCode == LeadActions.ContactMe ? "Contact me" : "New lead")}: {who}{(lead.OfferTitle ?? lead.OfferId) switch { null => "", var offer => " – " + offer }}");
        return Compose(subject, lead.ActionCode == LeadActions.ContactMe
                ? "A customer asked to be contacted through the marketplace."
                : $"A new marketplace lead arrived ({action}).",
            LeadFacts(lead), links.Lead(lead.Id), "Open the lead", LeadActions.IsDoNotContact(lead.ActionCode));
    }

    public MailContent Assigned(Lead lead, string? assignedBy)
    {
        if (lead.IsTest)
        {
            return ValidationLead(lead.Id);
        }

        var subject = Clean($"Assigned to you: {Person(lead)}");
        return Compose(subject, $"{assignedBy ?? "Someone"} assigned this lead to you.", LeadFacts(lead), links.Lead(lead.Id), "Open the lead",
            LeadActions.IsDoNotContact(lead.ActionCode));
    }

    /// <summary>A reminder that a task fell due, its time in the owner's zone (<paramref name="timeZone"/>, an IANA name).</summary>
    public MailContent TaskDue(LeadTask task, Lead lead, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        var due = TimeZoneInfo.ConvertTimeFromUtc(task.DueAt, zone).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture);
        var facts = new List<(string Label, string Value)> { ("Task", OneLine(task.Text)), ("Due", $"{due} ({zone.Id})") };
        if (!lead.IsTest)
        {
            facts.AddRange(LeadFacts(lead));
        }

        return Compose(Clean($"Task due: {task.Text} – {(lead.IsTest ? "validation lead" : Person(lead))}"), "A task of yours is due.", facts,
            links.Lead(lead.Id), "Open the lead", LeadActions.IsDoNotContact(lead.ActionCode));
    }

    /// <summary>
    /// The owner's reminder that a lead's first response is due soon (<paramref name="dueAt"/> UTC, shown in the owner's
    /// <paramref name="timeZone"/>). Never about a DNC or test lead: those run no clock.
    /// </summary>
    public MailContent ResponseDueSoon(Lead lead, DateTime dueAt, DateTime now, string timeZone)
    {
        var facts = new List<(string Label, string Value)> { ("Response due", LocalTime(dueAt, timeZone)) };
        facts.AddRange(LeadFacts(lead));
        return Compose(Clean($"Response due in {Until(dueAt - now)}: {Person(lead)}"),
            "Nobody has answered this lead of yours yet, and its first response is due soon. Call, e-mail or mark it responded.",
            facts, links.Lead(lead.Id), "Open the lead");
    }

    /// <summary>A lead's first response is overdue: to its owner (or, unassigned, the admins) and the escalation list.</summary>
    /// <param name="owner">The owner's name; null when the lead has none.</param>
    public MailContent ResponseOverdue(Lead lead, DateTime dueAt, string? owner, string timeZone)
    {
        var facts = new List<(string Label, string Value)> { ("Response was due", LocalTime(dueAt, timeZone)), ("Owner", owner ?? "Nobody (unassigned)") };
        facts.AddRange(LeadFacts(lead));
        return Compose(Clean($"Overdue: {Person(lead)}"),
            owner is null
                ? "Nobody has answered this lead and its first response is overdue. It has no owner: assign it, or answer it."
                : $"Nobody has answered this lead and its first response is overdue. {owner} owns it.",
            facts, links.Lead(lead.Id), "Open the lead");
    }

    /// <param name="day">The local day the leads arrived on.</param>
    /// <param name="more">Leads of that day beyond the ones listed.</param>
    /// <param name="atRisk">Unanswered leads that are overdue or that Partner Center expires soon; null or empty for none.</param>
    public MailContent Digest(DateOnly day, IReadOnlyList<Lead> leads, int more, string timeZone, AtRiskLeads? atRisk = null)
    {
        var total = leads.Count + more;
        var dayText = day.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);
        var subject = (total > 0 ? $"LeadPortal: {total} new lead{(total == 1 ? "" : "s")} on {dayText}" : $"LeadPortal: no new leads on {dayText}")
            + (atRisk is { OverdueCount: > 0 and var overdue } ? $", {overdue} overdue" : "")
            + (atRisk is { ExpiringCount: > 0 and var expiring } ? $", {expiring} expiring" : "");
        var text = new StringBuilder().AppendLine($"{total} lead{(total == 1 ? "" : "s")} arrived on {dayText} ({timeZone}).").AppendLine();
        var html = new StringBuilder($"<p>{Encode($"{total} lead{(total == 1 ? "" : "s")} arrived on {dayText} ({timeZone}).")}</p>");
        LeadTable(text, html, leads, _ => null);
        if (more > 0)
        {
            text.AppendLine().AppendLine($"…and {more} more in the inbox.");
            html.Append($"<p>…and {more} more in the inbox.</p>");
        }

        if (atRisk is { Total: > 0 })
        {
            text.AppendLine().AppendLine("AT RISK");
            html.Append("<h3 id=\"at-risk\" style=\"margin:18px 0 6px\">At risk</h3>");
            AtRiskPart(text, html, $"{atRisk.OverdueCount} overdue: nobody has answered them and the first response was due",
                atRisk.Overdue, atRisk.OverdueCount, l => $"was due {LocalTime(l.ResponseDueAt!.Value, timeZone)}", "/?clock=overdue");
            AtRiskPart(text, html, $"{atRisk.ExpiringCount} expiring in Partner Center within 3 days (Contact me, unanswered, not accepted there)",
                atRisk.Expiring, atRisk.ExpiringCount, l => $"expires {LocalTime(l.ReceivedAt + ResponseClock.PartnerCenterKeeps, timeZone)}", "/?clock=expiring");
        }

        text.AppendLine().AppendLine($"Inbox: {links.Page("/")}");
        html.Append($"<p><a href=\"{Encode(links.Page("/"))}\">Open the inbox</a></p>");
        return new MailContent(subject, text.ToString(), Wrap(html.ToString()));
    }

    private void AtRiskPart(StringBuilder text, StringBuilder html, string heading, IReadOnlyList<Lead> leads, int count, Func<Lead, string> when, string inboxPath)
    {
        if (count == 0)
        {
            return;
        }

        text.AppendLine(heading + ":");
        html.Append($"<p>{Encode(heading)}:</p>");
        LeadTable(text, html, leads, when);
        if (count > leads.Count)
        {
            text.AppendLine($"…and {count - leads.Count} more: {links.Page(inboxPath)}");
            html.Append($"<p><a href=\"{Encode(links.Page(inboxPath))}\">…and {count - leads.Count} more in the inbox</a></p>");
        }
    }

    private void LeadTable(StringBuilder text, StringBuilder html, IReadOnlyList<Lead> leads, Func<Lead, string?> when)
    {
        html.Append("<table cellpadding=\"6\" style=\"border-collapse:collapse\">");
        foreach (var lead in leads)
        {
            var note = when(lead);
            var line = OneLine($"{(LeadActions.IsDoNotContact(lead.ActionCode) ? "DO NOT CONTACT · " : "")}{Person(lead)} · {LeadActions.Label(lead.ActionCode)} · {lead.OfferTitle ?? lead.OfferId ?? "no offer"}{(note is null ? "" : " · " + note)}");
            text.AppendLine($"- {line}").AppendLine($"  {links.Lead(lead.Id)}");
            html.Append($"<tr><td><a href=\"{Encode(links.Lead(lead.Id))}\">{Encode(Person(lead))}</a></td><td>{Encode(LeadActions.Label(lead.ActionCode))}</td><td>{Encode(lead.OfferTitle ?? lead.OfferId ?? "")}</td>{(note is null ? "" : $"<td>{Encode(note)}</td>")}</tr>");
        }

        html.Append("</table>");
    }

    private static string LocalTime(DateTime utc, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        return $"{TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture)} ({zone.Id})";
    }

    private static string Until(TimeSpan span) => span.TotalMinutes < 90 ? $"{Math.Max(1, Math.Round(span.TotalMinutes)):0} min" : $"{Math.Round(span.TotalHours):0} h";

    public MailContent Alert(string subject, string message, string pagePath, string linkText) =>
        Compose("LeadPortal alert: " + subject, message, [], links.Page(pagePath), linkText);

    public MailContent Test() => Compose("LeadPortal: test e-mail",
        "This is a test e-mail from LeadPortal. If you can read it, notifications can reach you.", [], links.Page("/"), "Open LeadPortal");

    private MailContent ValidationLead(long id) => Compose("LeadPortal: a validation lead arrived",
        "Partner Center's validation lead (a test) arrived at the intake endpoint: the lead destination works.", [],
        links.Lead(id), "Open it");

    private static string Person(Lead lead)
    {
        var name = $"{lead.FirstName} {lead.LastName}".Trim();
        var who = name.Length > 0 ? name : lead.Email ?? "Unnamed contact";
        return lead.Company is { Length: > 0 } company ? $"{who} ({company})" : who;
    }

    private static List<(string Label, string Value)> LeadFacts(Lead lead)
    {
        var facts = new List<(string, string?)>
        {
            ("Name", $"{lead.FirstName} {lead.LastName}".Trim()),
            ("Company", lead.Company),
            ("Title", lead.Title),
            ("E-mail", lead.Email),
            ("Phone", lead.Phone),
            ("Country", lead.Country),
            ("Offer", lead.OfferTitle ?? lead.OfferId),
            ("Action", LeadActions.Label(lead.ActionCode)),
            (MessageLabel, lead.Description),
        };
        if (LeadActions.IsDoNotContact(lead.ActionCode))
        {
            // The banner says it; the address and number are left out, so that no mail client offers to write or dial.
            facts.RemoveAll(f => f.Item1 is "E-mail" or "Phone");
        }

        return facts.Where(f => !string.IsNullOrWhiteSpace(f.Item2)).Select(f => (f.Item1, f.Item2!)).ToList();
    }

    /// <summary>What a mail about a do-not-contact lead says first, in both parts.</summary>
    public const string DoNotContactBanner = "DO NOT CONTACT: this customer asked not to be contacted about this offer. No mail, no call.";

    private static MailContent Compose(string subject, string intro, List<(string Label, string Value)> facts, string link, string linkText, bool doNotContact = false)
    {
        var text = new StringBuilder();
        var html = new StringBuilder();
        if (doNotContact)
        {
            text.AppendLine(DoNotContactBanner).AppendLine();
            html.Append($"<p id=\"dnc-banner\" style=\"background:#b71c1c;color:#ffffff;padding:10px 14px;font-weight:bold;border-radius:4px\">{Encode(DoNotContactBanner)}</p>");
        }

        text.AppendLine(intro).AppendLine();
        html.Append($"<p>{Encode(intro)}</p>");
        if (facts.Count > 0)
        {
            html.Append("<table cellpadding=\"4\" style=\"border-collapse:collapse\">");
            foreach (var (label, value) in facts)
            {
                // A lead's text must not make lines of its own: one-line fields are flattened, and the message's own
                // lines are indented, so nothing in a lead can pass for another "E-mail:" line.
                text.AppendLine(label == MessageLabel ? $"{label}: {Indented(value)}" : $"{label}: {OneLine(value)}");
                html.Append($"<tr><th align=\"left\" valign=\"top\">{Encode(label)}</th><td>{Encode(value).Replace("\n", "<br>")}</td></tr>");
            }

            html.Append("</table>");
            text.AppendLine();
        }

        text.AppendLine($"{linkText}: {link}");
        html.Append($"<p><a href=\"{Encode(link)}\">{Encode(linkText)}</a></p>");
        return new MailContent(Clean(subject), text.ToString(), Wrap(html.ToString()));
    }

    private static string Wrap(string body) =>
        $"<!DOCTYPE html><html><body style=\"font-family:Segoe UI,Roboto,Arial,sans-serif;font-size:14px;color:#1f2937\">{body}<p style=\"color:#6b7280;font-size:12px\">Sent by LeadPortal. Change what you receive under Notifications in LeadPortal.</p></body></html>";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private const string MessageLabel = "Message";

    /// <summary>The longest subject, in characters, before it is cut with "…".</summary>
    public const int MaxSubjectLength = 150;

    /// <summary>Line breaks of every kind (and other control characters) as spaces, runs of them as one.</summary>
    public static string OneLine(string text)
    {
        var line = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var blank = char.IsControl(c) || c is '\u2028' or '\u2029' || char.IsWhiteSpace(c);
            if (!blank)
            {
                line.Append(c);
            }
            else if (line.Length > 0 && line[^1] != ' ')
            {
                line.Append(' ');
            }
        }

        return line.ToString().Trim();
    }

    /// <summary>A multi-line text with every line after the first indented by two spaces (and other control characters gone).</summary>
    private static string Indented(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split(['\n', '\r', '\u2028', '\u2029', '\u0085', '\v', '\f'])
            .Select(l => new string(l.Where(c => !char.IsControl(c) || c == '\t').ToArray()).TrimEnd());
        return string.Join("\n  ", lines).Trim();
    }

    /// <summary>A subject is one line, and stays readable in length: cut between text elements (an emoji sequence or a
    /// letter with its combining marks is never split).</summary>
    public static string Clean(string subject)
    {
        var line = OneLine(subject);
        if (line.Length <= MaxSubjectLength)
        {
            return line;
        }

        var cut = 0;
        var elements = StringInfo.GetTextElementEnumerator(line);
        while (elements.MoveNext() && elements.ElementIndex + elements.GetTextElement().Length <= MaxSubjectLength - 1)
        {
            cut = elements.ElementIndex + elements.GetTextElement().Length;
        }

        return line[..cut].TrimEnd() + "…";
    }
}
