using Microsoft.Extensions.Options;

namespace LeadPortal.Accounts;

/// <summary>
/// Limits password guessing by where it comes from, in place of Identity's account lockout (which let anyone lock any
/// account by failing at it five times; see docs/decisions/001-sign-in-throttling.md). Two counts, each over a window
/// that starts with its first attempt: failures from one client, whatever the emails, and failures for one email from one
/// client. Either one full, the client's next attempt (for that email) is refused before any password is checked.
/// <para>
/// Every attempt takes its place in both counts before the password is checked and a successful one gives it back, so
/// a burst of parallel guesses cannot all pass the check before the first of them fails. The email is counted as typed
/// (normalized), whether an account has it or not: being refused never tells which emails have an account.
/// </para>
/// <para>
/// Kept in this instance's memory: several instances each allow the limits, and a restart forgets them. Both only make
/// the limits looser by a small factor; keeping them in the store would cost a write per failed sign-in.
/// </para>
/// </summary>
public sealed class SignInThrottle(IOptions<SignInThrottleOptions> options, TimeProvider time, ILogger<SignInThrottle> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Count> _counts = new(StringComparer.Ordinal);
    private int _pruneAt = 1024;
    private DateTimeOffset _prunedAt = DateTimeOffset.MinValue;

    /// <summary>
    /// Takes this attempt's place in the client's count and in the email's count for the client; null (and how long to wait)
    /// when either is full. The attempt counts as failed unless <see cref="Attempt.Succeeded"/> is called.
    /// </summary>
    public Attempt? TryBegin(string client, string normalizedEmail, out TimeSpan retryAfter)
    {
        var settings = options.Value;
        var clientKey = "client " + client;
        var emailKey = $"email {client} {normalizedEmail}";
        var now = time.GetUtcNow();
        lock (_lock)
        {
            Prune(now, settings.Window);
            var byClient = Current(clientKey, now, settings.Window);
            if (byClient.Failures >= settings.FailuresPerClient)
            {
                // Refused before the email is looked at: a refused client adds nothing to the table, whatever it sends.
                retryAfter = byClient.Since + settings.Window - now;
                return null;
            }

            var byEmail = Current(emailKey, now, settings.Window);
            if (byEmail.Failures >= settings.FailuresPerEmailPerClient)
            {
                retryAfter = byEmail.Since + settings.Window - now;
                return null;
            }

            byClient.Failures++;
            byEmail.Failures++;
            if (byClient.Failures == settings.FailuresPerClient)
            {
                logger.LogWarning("Sign-in from {Client}: {Failures} attempts within {Window}; the next ones are refused until it ends", client, byClient.Failures, settings.Window);
            }

            retryAfter = TimeSpan.Zero;
            return new Attempt(this, byClient, emailKey, byEmail);
        }
    }

    /// <summary>How many counts are kept (for tests of the table's bounds).</summary>
    public int Tracked
    {
        get
        {
            lock (_lock)
            {
                return _counts.Count;
            }
        }
    }

    private Count Current(string key, DateTimeOffset now, TimeSpan window)
    {
        if (!_counts.TryGetValue(key, out var count) || count.Since + window <= now)
        {
            count = new Count { Since = now };
            _counts[key] = count;
        }

        return count;
    }

    /// <summary>
    /// Drops counts whose window has passed: once a window, and whenever the table has doubled since the last time, so
    /// the cost stays in proportion to the attempts and the table to the clients of about one window.
    /// </summary>
    private void Prune(DateTimeOffset now, TimeSpan window)
    {
        if (_counts.Count < _pruneAt && now < _prunedAt + window)
        {
            return;
        }

        _prunedAt = now;

        foreach (var (key, count) in _counts)
        {
            if (count.Since + window <= now)
            {
                _counts.Remove(key);
            }
        }

        _pruneAt = Math.Max(1024, _counts.Count * 2);
    }

    private void Release(Count byClient, string emailKey, Count byEmail)
    {
        lock (_lock)
        {
            // The right password from this client: this attempt is no failure of the client's, and its earlier typos for
            // this email are forgiven. A count already replaced by a new window is no longer in the table: no harm done.
            byClient.Failures = Math.Max(0, byClient.Failures - 1);
            if (_counts.TryGetValue(emailKey, out var current) && ReferenceEquals(current, byEmail))
            {
                _counts.Remove(emailKey);
            }
        }
    }

    internal sealed class Count
    {
        public DateTimeOffset Since { get; init; }
        public int Failures { get; set; }
    }

    /// <summary>One sign-in attempt's place in the counts.</summary>
    public sealed class Attempt
    {
        private readonly SignInThrottle _owner;
        private readonly Count _byClient;
        private readonly string _emailKey;
        private readonly Count _byEmail;
        private bool _released;

        internal Attempt(SignInThrottle owner, Count byClient, string emailKey, Count byEmail) =>
            (_owner, _byClient, _emailKey, _byEmail) = (owner, byClient, emailKey, byEmail);

        /// <summary>The password was right: the attempt is not counted as a failure.</summary>
        public void Succeeded()
        {
            if (!_released)
            {
                _released = true;
                _owner.Release(_byClient, _emailKey, _byEmail);
            }
        }
    }
}
