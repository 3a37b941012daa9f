namespace LeadPortal.Tests.Browser;

/// <summary>
/// A test class on a shared <see cref="BrowserApp"/>: after each of its tests (xunit disposes the class instance through
/// <see cref="IAsyncLifetime"/>), every page the test opened is closed. The tests of one collection run one at a time, so
/// the pages open then are that test's own.
/// </summary>
public interface IBrowserTest : IAsyncLifetime
{
    BrowserApp Fixture { get; }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => Fixture.CloseTestPagesAsync();
}
