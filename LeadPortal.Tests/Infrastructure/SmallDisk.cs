using System.Diagnostics;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>A real, tiny filesystem (tmpfs) that can be filled up: needs root, as the CI machine has.</summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static SmallDisk Mount(int megabytes)
    {
        var path = TestTemp.NewPath("small-disk-");
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        return new SmallDisk(path);
    }

    /// <summary>Writes a file that takes all but <paramref name="leaveBytes"/> of the free space.</summary>
    public string Fill(long leaveBytes)
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        var free = new DriveInfo(Path).AvailableFreeSpace;
        using (var file = File.Create(filler))
        {
            var block = new byte[64 * 1024];
            for (var left = free - leaveBytes; left > 0; left -= block.Length)
            {
                file.Write(block, 0, (int)Math.Min(block.Length, left));
            }
        }

        return filler;
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {error}");
        }
    }
}
