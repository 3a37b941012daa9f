using System.Runtime.CompilerServices;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>
/// Raises the thread pool's floor for the test host. Several test classes run at once in this one process, and with them the
/// in-process apps (their hosted services and Blazor circuits) and bunit's waits, which block the thread they run on
/// while the renderer needs another. On two cores the pool starts with two threads and adds about one a second when
/// they are all blocked: under the full suite a bunit check then ran once in ten seconds and an app's page took tens of
/// seconds, with the cores far from busy. Sixty-four threads start at once instead, and the pool still grows past them.
/// </summary>
internal static class ThreadPoolFloor
{
    public const int Threads = 64;

    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Threads), Math.Max(io, Threads));
    }
}
