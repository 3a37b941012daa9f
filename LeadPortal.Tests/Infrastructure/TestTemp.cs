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
                TryDelete(leftover);
            }
        }

        var folder = Path.Combine(parent, $"run-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TryDelete(folder);
            // The parent goes too when no other run is using it.
            try
            {
                Directory.Delete(parent);
            }
            catch (IOException)
            {
            }
        };
        return folder;
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
