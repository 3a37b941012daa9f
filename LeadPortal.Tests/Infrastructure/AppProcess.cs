using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>The real app in its own process (Production environment) on a free loopback port, its console captured.</summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;
    private readonly Task _pump;

    private AppProcess(Process process, string address, ConcurrentQueue<string> output, Task pump)
    {
        _process = process;
        Address = address;
        _output = output;
        _pump = pump;
    }

    public string Address { get; }

    /// <summary>Every line the process wrote to stdout and stderr so far.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public static Task<AppProcess> StartAsync(string databasePath, IDictionary<string, string>? environment = null) =>
        StartAsync(LeadPortal.Data.StoreProvider.Sqlite, $"Data Source={databasePath}", environment);

    /// <summary>The app on a store of either provider, given its connection string.</summary>
    public static async Task<AppProcess> StartAsync(LeadPortal.Data.StoreProvider provider, string connectionString, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", ["LeadPortal.dll", "--urls", "http://127.0.0.1:0", $"--TestRun={TestTemp.Root}"])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Store__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__LeadPortal"] = connectionString;
        start.Environment["Intake__BootstrapKey"] = LeadPortalFactory.IntakeKey;
        start.Environment["Bootstrap__AdminEmail"] = LeadPortalFactory.AdminEmail;
        start.Environment["Bootstrap__AdminPassword"] = LeadPortalFactory.AdminPassword;
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Intake__Spool__Path"] = Path.Combine(TestTemp.Root, "spool-processes");
        // As for the test host (its csproj says why): these processes live seconds, so tiering's profiling only costs.
        // JIT settings change no behaviour the tests look at.
        start.Environment["DOTNET_TieredPGO"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pump = Task.WhenAll(Pump(process.StandardOutput, output, listening), Pump(process.StandardError, output, null));
        try
        {
            var exited = pump.ContinueWith(_ => "", TaskScheduler.Default);
            var address = await (await Task.WhenAny(listening.Task, exited)).WaitAsync(TimeSpan.FromSeconds(60));
            if (address.Length == 0)
            {
                throw new InvalidOperationException($"The app exited before listening:\n{string.Join('\n', output)}");
            }

            return new AppProcess(process, address, output, pump);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>Starts several at once; if one fails, those that started are stopped before the failure is thrown.</summary>
    public static async Task<AppProcess[]> StartTogetherAsync(params Task<AppProcess>[] starts)
    {
        try
        {
            return await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }
    }

    private static async Task Pump(StreamReader reader, ConcurrentQueue<string> output, TaskCompletionSource<string>? listening)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            output.Enqueue(line);
            if (listening is not null && ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    /// <summary>Kills the process without warning (as a crash or the OOM killer would) and waits for its output to end.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        await _pump.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
