using LeadPortal.Shared;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Shared;

public sealed class LogThrottleTests
{
    [Fact]
    public void A_cause_is_logged_once_a_minute_and_the_next_line_counts_what_was_left_out()
    {
        var clock = new FixedTime(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var throttle = new LogThrottle(clock, TimeSpan.FromMinutes(1));

        Assert.True(throttle.ShouldLog("disk full", out var first));
        Assert.Equal(0, first);
        for (var i = 0; i < 50; i++)
        {
            clock.Now = clock.Now.AddSeconds(1);
            Assert.False(throttle.ShouldLog("disk full", out _));
        }

        Assert.True(throttle.ShouldLog("locked", out _));      // another cause has its own minute
        clock.Now = clock.Now.AddSeconds(10);
        Assert.True(throttle.ShouldLog("disk full", out var left));
        Assert.Equal(50, left);
        Assert.Equal(" (50 more like it since the last line)", LogThrottle.More(left));
    }
}
