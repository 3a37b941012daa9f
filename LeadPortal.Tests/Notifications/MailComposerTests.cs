using LeadPortal.Data;
using LeadPortal.Notifications;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LeadPortal.Tests.Notifications;

public sealed class MailComposerTests
{
    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public void Dispose()
        {
        }

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static readonly MailComposer Composer = new(new PortalLinks(
        Options.Create(new NotificationOptions { PortalUrl = "https://leads.contoso.example" }), Options.Create(new LeadPortal.Intake.IntakeOptions()), new NoServer()));

    [Fact]
    public void A_leads_line_breaks_cannot_forge_lines_of_the_plain_text_mail()
    {
        var lead = new Lead
        {
            Id = 7, ActionCode = "PLT", FirstName = "Eve\r\nE-mail: ceo@contoso.example", LastName = "Mallory", Company = "Evil\u2028Phone: +1 555",
            Email = "eve@fabrikam.example", Description = "Hello\nE-mail: attacker@evil.example\r\nCall me",
        };

        var mail = Composer.NewLead(lead);

        var lines = mail.Text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(["E-mail: eve@fabrikam.example"], lines.Where(l => l.StartsWith("E-mail:", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.StartsWith("Phone:", StringComparison.Ordinal));
        Assert.Contains("Name: Eve E-mail: ceo@contoso.example Mallory", lines);
        Assert.Contains("Message: Hello", lines);
        Assert.Contains("  E-mail: attacker@evil.example", lines);
        Assert.Contains("  Call me", lines);
    }

    [Theory]
    [InlineData("👩‍👩‍👧‍👦")]     // one family emoji: a ZWJ sequence of 11 UTF-16 units
    [InlineData("e\u0301")]        // e and a combining acute accent
    [InlineData("🇸🇪")]             // a flag: two regional indicators
    public void A_long_subject_is_cut_between_text_elements(string element)
    {
        foreach (var padding in Enumerable.Range(130, 20))
        {
            var subject = MailComposer.Clean(new string('a', padding) + string.Concat(Enumerable.Repeat(element, 40)));

            Assert.True(subject.Length <= MailComposer.MaxSubjectLength, subject);
            Assert.EndsWith("…", subject);
            var body = subject[..^1];
            var elements = System.Globalization.StringInfo.GetTextElementEnumerator(body);
            while (elements.MoveNext())
            {
                var text = elements.GetTextElement();
                Assert.True(text == "a" || text == element, $"'{text}' is a piece of '{element}' (padding {padding})");
            }
        }
    }
}
