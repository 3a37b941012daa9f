using System.ComponentModel.DataAnnotations;

namespace LeadPortal.Accounts;

/// <summary>Section <c>SignIn</c>: how many failed sign-ins a client may make (see <see cref="SignInThrottle"/>).</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "SignIn";

    /// <summary>Failed sign-ins one client (an IPv4 address or an IPv6 /64) may make within <see cref="Window"/>, whatever the emails.</summary>
    [Range(1, 100_000)]
    public int FailuresPerClient { get; set; } = 20;

    /// <summary>Failed sign-ins for one email from one client within <see cref="Window"/>.</summary>
    [Range(1, 1_000)]
    public int FailuresPerEmailPerClient { get; set; } = 5;

    /// <summary>How long failures count, from the first attempt; then the client (or the email from it) starts again.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}
