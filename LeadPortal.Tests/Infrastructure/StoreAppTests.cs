using LeadPortal.Data;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>
/// A class of app tests that each start an app of their own, on the store the class runs on: SQLite here, PostgreSQL
/// in a subclass marked <see cref="PostgresStoreAttribute"/>.
/// </summary>
public abstract class StoreAppTests(StoreProvider provider)
{
    protected StoreProvider Provider { get; } = provider;

    /// <summary>A new app with a store of its own.</summary>
    protected LeadPortalFactory NewApp(IDictionary<string, string?>? settings = null) => new(Provider, TempDatabase.NewPath(), settings);
}
