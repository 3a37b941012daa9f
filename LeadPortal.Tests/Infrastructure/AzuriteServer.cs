using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>
/// Azurite's table service (npm's <c>azurite</c>, the Azure Storage emulator) for the test run: started once, on a free
/// loopback port, in memory, and killed when the run ends. Each test reads and writes a table of its own.
/// </summary>
public sealed class AzuriteServer
{
    /// <summary>Azurite's well-known development account (public, the same in every emulator).</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<AzuriteServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _tables;

    private AzuriteServer(int port) => Port = port;

    public int Port { get; }

    public static AzuriteServer Instance => Shared.Value;

    /// <summary>The emulator's program, or null where npm's azurite is not installed.</summary>
    public static string? FindProgram() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "azurite-table"))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Why Azurite tests skip here (null: they run). With LEADPORTAL_REQUIRE_AZURITE=1, as .ci/run sets it, they never
    /// skip: a missing emulator fails them instead.
    /// </summary>
    public static string? SkipReason =>
        FindProgram() is null && Environment.GetEnvironmentVariable("LEADPORTAL_REQUIRE_AZURITE") != "1"
            ? "Table intake tests need Azurite (npm install -g azurite)."
            : null;

    /// <summary>The connection string of the emulator's account, through <paramref name="port"/> (a proxy's) or directly.</summary>
    public string ConnectionString(int? port = null, string accountKey = AccountKey) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={accountKey};TableEndpoint=http://127.0.0.1:{port ?? Port}/{AccountName};";

    /// <summary>A new, empty table's name (letters and digits, as Azure wants).</summary>
    public string NewTableName() => $"leads{Environment.ProcessId}x{Interlocked.Increment(ref _tables)}";

    public TableClient Table(string name) => new(ConnectionString(), name);

    private static AzuriteServer Start()
    {
        var program = FindProgram() ?? throw new InvalidOperationException(
            "Azurite is not installed (npm install -g azurite): LEADPORTAL_REQUIRE_AZURITE=1 makes its tests fail rather than skip.");
        var port = FreePort();
        var location = TestTemp.NewPath("azurite-");
        Directory.CreateDirectory(location);
        // Through a small watchdog shell: the test host may end without running exit handlers (the runner kills it), and
        // Azurite must not outlive it. The shell stops Azurite within a second of the host's end.
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // In memory: nothing is written, but Azurite still puts its debug log's folder in the working directory.
            WorkingDirectory = location,
        };
        foreach (var argument in new[]
                 {
                     "-c", """host=$1; shift; "$@" & child=$!; while kill -0 "$host" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done; kill "$child" 2>/dev/null; wait""",
                     "azurite-watchdog", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), program,
                     "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
                Directory.Delete(location, recursive: true);
            }
            catch (Exception)
            {
                // The run is ending; a temp folder left behind is the temp folder's to clear.
            }
        };

        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited at start ({process.ExitCode}): {output}");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return new AzuriteServer(port);
            }
            catch (SocketException) when (watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(50);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
