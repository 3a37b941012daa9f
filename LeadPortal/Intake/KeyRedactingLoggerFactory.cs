using System.Text.RegularExpressions;

namespace LeadPortal.Intake;

/// <summary>
/// Every logger the app creates writes through this factory, which takes secrets out of each line before any provider
/// sees it — the intake key (hosting's "Request starting" carries the query string), the inbox's search text (a person's
/// name or address, which an erasure could not reach in a log) and data-protection key material
/// (the key store logs each key's XML at Debug) — from the message, the structured values, scopes and exception text. Filtering log categories cannot promise that: a provider-specific level
/// (<c>Logging:Console:LogLevel:Microsoft.AspNetCore=Information</c>) overrides any general rule.
/// </summary>
public sealed partial class KeyRedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public const string Redacted = "[redacted]";

    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    /// <summary>The text with every <c>key=</c> query value (also URL-encoded), every generated key and every data-protection master key replaced.</summary>
    public static string Redact(string text) =>
        MayHoldKey(text)
            ? MasterKey().Replace(GeneratedKey().Replace(QueryParameter().Replace(text, RedactKeyValue), IntakeKeyStore.KeyPrefix + Redacted), "$1" + Redacted + "$2")
            : text;

    /// <summary>
    /// A query parameter's value goes when its name, decoded as the server decodes it, is "key": the server also takes
    /// <c>k%65y</c>, and <c>key[]</c>, <c>key%00</c> or <c>;key=</c> must not slip past a pattern for the plain spelling.
    /// Only letters and digits of the name count, so <c>keys</c> and <c>monkey</c> stay.
    /// </summary>
    private static string RedactKeyValue(Match match)
    {
        var name = match.Groups["name"].Value;
        for (var i = 0; i < 3 && name.Contains('%'); i++)
        {
            name = Uri.UnescapeDataString(name); // twice for a query inside a query (returnUrl=…%253F…)
        }

        var letters = new string(name.Where(char.IsAsciiLetterOrDigit).ToArray());
        return string.Equals(letters, IntakeEndpoints.KeyParameter, StringComparison.OrdinalIgnoreCase)
            || string.Equals(letters, SearchParameter, StringComparison.OrdinalIgnoreCase)
            ? match.Groups["start"].Value + Redacted
            : match.Value;
    }

    /// <summary>
    /// The inbox's and the export's free-text search (<c>q=</c>) is most often a person's name or address. Request logging
    /// would keep it where erasing a person cannot reach, so its value goes too.
    /// </summary>
    public const string SearchParameter = "q";

    private static bool MayHoldKey(string text) =>
        text.Contains("key", StringComparison.OrdinalIgnoreCase) || text.Contains('%') || text.Contains("q=", StringComparison.OrdinalIgnoreCase)
        || text.Contains("q%3D", StringComparison.OrdinalIgnoreCase) || text.Contains(IntakeKeyStore.KeyPrefix, StringComparison.Ordinal);

    /// <summary>Whether redaction changes the text (a cheap look for "key" first, the patterns only then).</summary>
    private static bool HoldsKey(string text) => Redact(text) != text;

    private static bool HoldsKey(object? value) => value switch
    {
        null => false,
        string text => HoldsKey(text),
        ValueType and not (PathString or QueryString) => false,
        _ => value.ToString() is { } text && HoldsKey(text),
    };

    // A query parameter after ? & or ; (or their URL-encoded forms %3F %26 %3B): its name up to = (or %3D), then its value,
    // which ends at & ; %26 %3B #, whitespace or a quote.
    [GeneratedRegex(@"(?<start>(?:[?&;]|%3[Ff]|%26|%3[Bb])(?<name>(?:(?!%3[Dd]|%26|%3[Bb])[^=&;#\s""'<>?]){1,64})(?:=|%3[Dd]))(?:(?!%26|%3[Bb])[^&;#\s""'<>])+",
        RegexOptions.CultureInvariant)]
    private static partial Regex QueryParameter();

    [GeneratedRegex(@"lpk_[A-Za-z0-9_-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex GeneratedKey();

    // A data-protection key's secret, in clear when no certificate encrypts the key ring (also XML-escaped in a message).
    [GeneratedRegex(@"(<masterKey\b[^>]*>|&lt;masterKey\b.*?&gt;)[\s\S]*?(</masterKey>|&lt;/masterKey&gt;)", RegexOptions.CultureInvariant)]
    private static partial Regex MasterKey();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
            NeedsRedaction(state, null) ? inner.BeginScope(new RedactedState(state, null)) : inner.BeginScope(state);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (!NeedsRedaction(state, message) && (exception is null || !HoldsKey(exception.ToString())))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            var error = exception is null ? null : new RedactedException(exception);
            inner.Log(logLevel, eventId, new RedactedState(state!, message), error, static (s, _) => s.Message);
        }

        private static bool NeedsRedaction<TState>(TState state, string? message)
        {
            if (message is not null && HoldsKey(message))
            {
                return true;
            }

            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (_, value) in pairs)
                {
                    if (HoldsKey(value))
                    {
                        return true;
                    }
                }

                return false;
            }

            return message is null && HoldsKey(state);
        }
    }

    /// <summary>The state's values as redacted text, with the redacted message (structured sinks read both).</summary>
    private sealed class RedactedState : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _pairs;

        public RedactedState(object state, string? message)
        {
            Message = Redact(message ?? state.ToString() ?? "");
            _pairs = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value switch
                {
                    null => null,
                    ValueType and not (PathString or QueryString) => p.Value,
                    _ => Redact(p.Value.ToString() ?? ""),
                })).ToArray()
                : [];
        }

        public string Message { get; }

        public int Count => _pairs.Length;

        public KeyValuePair<string, object?> this[int index] => _pairs[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_pairs).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }

    /// <summary>An exception whose text had the key in it: the type and the redacted text, without the original.</summary>
    private sealed class RedactedException(Exception original) : Exception(Redact(original.Message))
    {
        private readonly string _text = Redact(original.ToString());

        public override string? StackTrace => null;

        public override string ToString() => _text;
    }
}
