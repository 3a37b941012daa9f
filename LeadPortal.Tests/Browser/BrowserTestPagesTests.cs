using System.Reflection;

namespace LeadPortal.Tests.Browser;

/// <summary>Every test class on a shared <see cref="BrowserApp"/> closes its pages after each test (see <see cref="IBrowserTest"/>).</summary>
public sealed class BrowserTestPagesTests
{
    [Fact]
    public void Every_test_class_on_the_shared_browser_closes_its_pages_after_each_test()
    {
        var classes = typeof(BrowserApp).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(BrowserApp))))
            .ToList();

        Assert.NotEmpty(classes);
        Assert.All(classes, t => Assert.True(typeof(IBrowserTest).IsAssignableFrom(t), $"{t.Name} takes the shared BrowserApp but is not an IBrowserTest: its pages would stay open."));
    }
}
