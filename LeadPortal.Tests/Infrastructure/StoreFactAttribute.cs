using LeadPortal.Data;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>
/// A data-behaviour test that runs once per store: written in a base class on SQLite, and again in a subclass marked
/// <see cref="PostgresStoreAttribute"/>. Such a subclass's tests skip, with the reason, where PostgreSQL is not
/// installed, unless LEADPORTAL_REQUIRE_POSTGRES=1 (as .ci/run sets it), where they fail instead.
/// </summary>
[XunitTestCaseDiscoverer("LeadPortal.Tests.Infrastructure.StoreFactDiscoverer", "LeadPortal.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute
{
    /// <summary>Also drives Chromium: skipped (or failed, with LEADPORTAL_REQUIRE_BROWSER=1) where it is missing, as a browser test is.</summary>
    public bool Browser
    {
        get => field;
        set
        {
            field = value;
            if (value && !File.Exists(LeadPortal.Tests.Browser.BrowserFactAttribute.ChromiumPath) && Environment.GetEnvironmentVariable("LEADPORTAL_REQUIRE_BROWSER") != "1")
            {
                Skip = $"Browser tests need Debian's Chromium at {LeadPortal.Tests.Browser.BrowserFactAttribute.ChromiumPath} (apt-get install chromium).";
            }
        }
    }

    /// <summary>Also reads Azurite's tables: skipped (or failed, with LEADPORTAL_REQUIRE_AZURITE=1) where it is missing.</summary>
    public bool Azurite
    {
        get => field;
        set
        {
            field = value;
            if (value && AzuriteServer.SkipReason is { } reason)
            {
                Skip = reason;
            }
        }
    }
}

/// <summary>A theory that runs once per store, as <see cref="StoreFactAttribute"/> describes.</summary>
[XunitTestCaseDiscoverer("LeadPortal.Tests.Infrastructure.StoreTheoryDiscoverer", "LeadPortal.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreTheoryAttribute : TheoryAttribute
{
}

/// <summary>Marks a test class whose <see cref="StoreFactAttribute"/> tests run on PostgreSQL.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PostgresStoreAttribute : Attribute
{
    public const StoreProvider Provider = StoreProvider.Postgres;
}

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        new StoreTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

public sealed class StoreTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        StoreTestCase.SkipReasonFor(testMethod) is not null
            // One skipped case stands for the theory's rows: none of them can run without the store.
            ? [new StoreTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}

/// <summary>An ordinary test case whose skip reason also depends on its class (a PostgreSQL run without PostgreSQL).</summary>
public sealed class StoreTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute) => base.GetSkipReason(factAttribute) ?? SkipReasonFor(TestMethod);

    public static string? SkipReasonFor(ITestMethod testMethod) =>
        testMethod.TestClass.Class.GetCustomAttributes(typeof(PostgresStoreAttribute).AssemblyQualifiedName).Any() ? PostgresServer.SkipReason : null;
}
