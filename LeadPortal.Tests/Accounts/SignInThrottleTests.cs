using LeadPortal.Accounts;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LeadPortal.Tests.Accounts;

/// <summary>The throttle on its own, on a pinned clock (the sign-in page's use of it: <see cref="AccountTests"/>).</summary>
public sealed class SignInThrottleTests
{
    private readonly FixedTime _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private SignInThrottle Throttle(int perClient = 20, int perEmail = 3) => new(
        Options.Create(new SignInThrottleOptions { FailuresPerClient = perClient, FailuresPerEmailPerClient = perEmail, Window = TimeSpan.FromMinutes(15) }),
        _clock, NullLogger<SignInThrottle>.Instance);

    [Fact]
    public void The_right_password_forgives_the_emails_earlier_failures_from_that_client()
    {
        var throttle = Throttle();
        throttle.TryBegin("203.0.113.10", "ANNA@EXAMPLE.COM", out _);
        throttle.TryBegin("203.0.113.10", "ANNA@EXAMPLE.COM", out _);
        throttle.TryBegin("203.0.113.10", "ANNA@EXAMPLE.COM", out _)!.Succeeded();

        var after = Enumerable.Range(0, 4).Select(_ => throttle.TryBegin("203.0.113.10", "ANNA@EXAMPLE.COM", out var _)).ToList();

        Assert.Equal(3, after.Count(a => a is not null));
        Assert.Null(after[3]);
    }

    [Fact]
    public void A_refusal_says_how_long_until_the_first_attempts_window_ends_and_then_the_client_starts_again()
    {
        var throttle = Throttle(perClient: 2);
        throttle.TryBegin("203.0.113.10", "A", out _);
        _clock.Now += TimeSpan.FromMinutes(5);
        throttle.TryBegin("203.0.113.10", "B", out _);
        _clock.Now += TimeSpan.FromMinutes(1);

        var refused = throttle.TryBegin("203.0.113.10", "C", out var retryAfter);
        var otherClient = throttle.TryBegin("203.0.113.11", "C", out _);
        _clock.Now += retryAfter;
        var later = throttle.TryBegin("203.0.113.10", "C", out _);

        Assert.Null(refused);
        Assert.Equal(TimeSpan.FromMinutes(9), retryAfter);
        Assert.NotNull(otherClient);
        Assert.NotNull(later);
    }

    [Fact]
    public void A_refused_client_cannot_grow_the_table_with_new_emails()
    {
        var throttle = Throttle(perClient: 1);
        throttle.TryBegin("203.0.113.10", "FIRST", out _);

        for (var i = 0; i < 10_000; i++)
        {
            Assert.Null(throttle.TryBegin("203.0.113.10", $"GUESS{i}", out _));
        }

        Assert.Equal(2, throttle.Tracked);
    }

    [Fact]
    public void Counts_whose_window_has_passed_are_dropped()
    {
        var throttle = Throttle();
        for (var i = 0; i < 5_000; i++)
        {
            throttle.TryBegin($"10.0.{i / 256}.{i % 256}", "A", out _);
        }

        _clock.Now += TimeSpan.FromMinutes(16);
        for (var i = 0; i < 5_000; i++)
        {
            throttle.TryBegin("203.0.113.10", "A", out _);
        }

        Assert.True(throttle.Tracked < 100, $"{throttle.Tracked} counts kept");
    }

    [Fact]
    public void The_wait_is_said_in_whole_minutes_rounded_up()
    {
        Assert.Equal("1 minute", PasswordSignIn.Minutes(TimeSpan.FromSeconds(5)));
        Assert.Equal("1 minute", PasswordSignIn.Minutes(TimeSpan.FromSeconds(60)));
        Assert.Equal("2 minutes", PasswordSignIn.Minutes(TimeSpan.FromSeconds(61)));
        Assert.Equal("15 minutes", PasswordSignIn.Minutes(TimeSpan.FromMinutes(15)));
    }
}
