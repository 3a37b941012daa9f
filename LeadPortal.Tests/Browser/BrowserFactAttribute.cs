namespace LeadPortal.Tests.Browser;

/// <summary>
/// A browser test: skipped, with the reason, where Debian's Chromium is not installed, unless
/// LEADPORTAL_REQUIRE_BROWSER=1 (as .ci/run sets it), where a missing browser fails the test instead.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(ChromiumPath) && Environment.GetEnvironmentVariable("LEADPORTAL_REQUIRE_BROWSER") != "1")
        {
            Skip = $"Browser tests need Debian's Chromium at {ChromiumPath} (apt-get install chromium).";
        }

        Timeout = 180_000;
    }

    /// <summary>
    /// Playwright's expectations wait 5 s by default; on a busy 2-core CI machine a circuit's render can take longer,
    /// so they wait as long as an action does (a passing expectation still returns as soon as it holds).
    /// </summary>
    public static void SetExpectationTimeout() => Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(20_000);
}

/// <summary>A browser theory: skipped or failing like <see cref="BrowserFactAttribute"/> where Chromium is missing.</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (!File.Exists(BrowserFactAttribute.ChromiumPath) && Environment.GetEnvironmentVariable("LEADPORTAL_REQUIRE_BROWSER") != "1")
        {
            Skip = $"Browser tests need Debian's Chromium at {BrowserFactAttribute.ChromiumPath} (apt-get install chromium).";
        }

        Timeout = 180_000;
    }
}
