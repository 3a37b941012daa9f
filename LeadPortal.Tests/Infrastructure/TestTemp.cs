using System.Diagnostics;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>
/// The test run's own temporary folder (<c>/tmp/leadportal-tests/run-&lt;pid&gt;-…</c>): every SQLite file, spool, backup and
/// export a test makes goes under it, and it goes as a whole when the run ends. A run that was killed before it could
/// clear up is cleared by the next run (its process id is no longer alive), as the PostgreSQL clusters are.
/// </summary>
public static class TestTemp
{
    private static readonly Lazy<string> Folder = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Root => Folder.Value;

    /// <summary>A path under the run's folder: <paramref name="prefix"/> and a new id.</summary>
    public static string NewPath(string prefix, string extension = "") => Path.Combine(Root, $"{prefix}{Guid.NewGuid():N}{extension}");

    /// <summary>A new, empty folder under the run's folder.</summary>
    public static string NewFolder(string prefix) => Directory.CreateDirectory(NewPath(prefix)).FullName;

    private static string Create()
    {
        var parent = Path.Combine(Path.GetTempPath(), "leadportal-tests");
        Directory.CreateDirectory(parent);
        foreach (var leftover in Directory.GetDirectories(parent, "run-*"))
        {
            var parts = Path.GetFileName(leftover).Split('-');
            if (parts.Length >= 2 && int.TryParse(parts[1], out var pid) && !Alive(pid))
            {
                // A run whose watchdog did not get to clear it (the machine stopped): its server may still be up.
                foreach (var data in Directory.GetDirectories(leftover, "pg-*").Select(d => Path.Combine(d, "data")).Where(d => File.Exists(Path.Combine(d, "postmaster.pid"))))
                {
                    PostgresServer.StopLeftover(data);
                }

                TryDelete(leftover);
            }
        }

        var folder = Path.Combine(parent, $"run-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(folder);
        StartWatchdog(folder);
        return folder;
    }

    /// <summary>
    /// The test runner ends the test host without running its exit handlers, so the folder is removed by a small shell
    /// in a session of its own (the runner's kill does not reach it): once the host is gone it kills the app processes
    /// the run started (<see cref="AppProcess"/> marks them with <c>--TestRun=</c> the folder), stops the PostgreSQL
    /// server kept in the folder, and deletes the folder, and the parent when no other run uses it.
    /// </summary>
    private static void StartWatchdog(string folder)
    {
        var pgCtl = PostgresServer.FindBin() is { } bin ? Path.Combine(bin, "pg_ctl") : "";
        var asRoot = Environment.UserName == "root" ? "1" : "";
        var start = new ProcessStartInfo("/usr/bin/setsid") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
                 {
                     "/bin/sh", "-c", """
                     exec </dev/null >/dev/null 2>&1
                     host=$1; folder=$2; pgctl=$3; root=$4
                     while kill -0 "$host" 2>/dev/null; do sleep 0.5; done
                     pkill -KILL -f -- "--TestRun=$folder" 2>/dev/null
                     for data in "$folder"/pg-*/data; do
                       [ -f "$data/postmaster.pid" ] || continue
                       if [ -n "$root" ]; then runuser -u postgres -- "$pgctl" -D "$data" -m immediate -w stop; else "$pgctl" -D "$data" -m immediate -w stop; fi
                     done
                     rm -rf "$folder"; rmdir "$(dirname "$folder")" 2>/dev/null; exit 0
                     """,
                     "leadportal-test-watchdog", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), folder, pgCtl, asRoot,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var watchdog = Process.Start(start)!;
        watchdog.StandardInput.Close();
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Something still mounted or open in it: the next run's start tries again.
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
