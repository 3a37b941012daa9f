using System.Security.Claims;
using LeadPortal.Data;
using LeadPortal.Import;
using LeadPortal.Tests.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Import;

/// <summary>An import driven through its service as the page drives it, waiting for the background job between steps.</summary>
public static class ImportTestKit
{
    /// <summary>When the sample's rows were "downloaded": the clock the import tests pin.</summary>
    public static readonly DateTimeOffset At = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public static string SamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);

    public static LeadPortalFactory NewImportApp(StoreProvider provider, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Import:Folder"] = TestTemp.NewPath("imports-"),
        };
        return new LeadPortalFactory(provider, TempDatabase.NewPath(), all) { Time = new FixedTime(At) };
    }

    public static ImportService Imports(this LeadPortalFactory app) => app.Services.GetRequiredService<ImportService>();

    public static async Task<long> UploadAsync(this LeadPortalFactory app, string fileName, byte[] content)
    {
        using var stream = new MemoryStream(content);
        var (id, error) = await app.Imports().UploadAsync(stream, fileName, app.Admin(), CancellationToken.None);
        Assert.Null(error);
        return id!.Value;
    }

    /// <summary>Runs the check and waits for it: the run as it ended.</summary>
    public static async Task<ImportRun> CheckAsync(this LeadPortalFactory app, long id)
    {
        Assert.Null(await app.Imports().CheckAsync(id, app.Admin(), CancellationToken.None));
        return await WaitAsync(app, id);
    }

    /// <summary>Runs the import and waits for it: the run as it ended.</summary>
    public static async Task<ImportRun> ImportAsync(this LeadPortalFactory app, long id)
    {
        Assert.Null(await app.Imports().ImportAsync(id, app.Admin(), CancellationToken.None));
        return await WaitAsync(app, id);
    }

    private static async Task<ImportRun> WaitAsync(LeadPortalFactory app, long id)
    {
        var job = app.Services.GetRequiredService<ImportJob>();
        if (job.Current is { } running)
        {
            await running.WaitAsync(TimeSpan.FromSeconds(60));
        }

        var run = await app.Imports().GetAsync(id, CancellationToken.None);
        Assert.NotNull(run);
        Assert.False(run.State is ImportState.Checking or ImportState.Importing, $"The run is still {run.State}.");
        return run;
    }

    public static ClaimsPrincipal User(this LeadPortalFactory app) => app.Admin();
}
