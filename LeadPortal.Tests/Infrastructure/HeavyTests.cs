namespace LeadPortal.Tests.Infrastructure;

/// <summary>
/// Tests that load the machine on purpose (floods, tens of thousands of leads, real processes, LibreOffice) run in this
/// collection: one at a time, after the parallel ones, so they never starve a browser test's page loads on two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyTests
{
    public const string Name = "Heavy (run alone)";
}
