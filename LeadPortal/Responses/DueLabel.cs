namespace LeadPortal.Responses;

public enum DueState
{
    /// <summary>Due, with time to spare.</summary>
    Running,

    /// <summary>Due within <see cref="ResponseClock.DueSoonWindow"/>.</summary>
    Soon,

    Overdue,
}

/// <summary>A running response clock in words: "due in 3 h", "overdue 5 h". The state gives its colour; the words carry it alone too.</summary>
public sealed record DueLabel(string Text, DueState State)
{
    /// <summary>The clock of a lead nobody has answered yet; null when it runs none or was answered (its clock stopped).</summary>
    public static DueLabel? For(DateTime? dueAtUtc, DateTime? firstResponseAtUtc, DateTime nowUtc)
    {
        if (dueAtUtc is not { } due || firstResponseAtUtc is not null)
        {
            return null;
        }

        var left = due - nowUtc;
        if (left <= TimeSpan.Zero)
        {
            return new DueLabel("overdue " + Span(-left, roundUp: false), DueState.Overdue);
        }

        return new DueLabel("due in " + Span(left, roundUp: true), left <= ResponseClock.DueSoonWindow ? DueState.Soon : DueState.Running);
    }

    /// <summary>
    /// Partner Center's expiry of a Contact me lead in words ("expires in 9 d", "expired in Partner Center"), while it
    /// runs: until the lead is answered or marked accepted in Partner Center (<paramref name="stoppedAtUtc"/>).
    /// </summary>
    public static string? Expiry(DateTime? expiresAtUtc, DateTime? stoppedAtUtc, DateTime nowUtc, out bool soon)
    {
        soon = false;
        if (expiresAtUtc is not { } expires || stoppedAtUtc is not null)
        {
            return null;
        }

        var left = expires - nowUtc;
        soon = left <= ResponseClock.ExpiringWindow;
        return left <= TimeSpan.Zero ? "expired in Partner Center" : "expires in " + Span(left, roundUp: false);
    }

    /// <summary>
    /// Minutes under an hour, hours under two days, days beyond. Time left rounds up (a lead posted a moment ago is due
    /// "in 24 h", not "in 23 h"); time over and until expiry round down (never "overdue 1 h" a minute after).
    /// </summary>
    public static string Span(TimeSpan span, bool roundUp)
    {
        double Round(double value) => roundUp ? Math.Ceiling(value - 1e-9) : Math.Floor(value);
        if (span < TimeSpan.FromHours(1))
        {
            return $"{Math.Max(1, Round(span.TotalMinutes)):0} min";
        }

        if (span <= TimeSpan.FromHours(48))
        {
            return $"{Round(span.TotalHours):0} h";
        }

        return $"{Math.Floor(span.TotalDays):0} d";
    }
}
