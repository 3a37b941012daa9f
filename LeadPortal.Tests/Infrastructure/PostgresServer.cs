using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LeadPortal.Data.Postgres;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server for the test run: Debian's binaries (apt-get install postgresql), a cluster in a temp
/// directory owned by user <c>postgres</c> (initdb refuses root), on a free loopback port. One template database is
/// migrated once; each test store is a copy of it (<c>CREATE DATABASE … TEMPLATE</c>). Stopped when the run ends.
/// </summary>
public sealed class PostgresServer
{
    private const string Template = "leadportal_template";
    private static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databases;

    private readonly string _admin;

    private PostgresServer(string directory, int port, string bin)
    {
        Directory = directory;
        Port = port;
        Bin = bin;
        _admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    public string Directory { get; }
    public int Port { get; }
    public string Bin { get; }

    /// <summary>The folder with Debian's PostgreSQL programs (the newest version installed), or null.</summary>
    public static string? FindBin()
    {
        const string root = "/usr/lib/postgresql";
        if (!System.IO.Directory.Exists(root))
        {
            return null;
        }

        return System.IO.Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    /// <summary>
    /// Why PostgreSQL tests skip here (null: they run). With LEADPORTAL_REQUIRE_POSTGRES=1, as .ci/run sets it, they
    /// never skip: a missing server fails them instead.
    /// </summary>
    public static string? SkipReason =>
        FindBin() is null && Environment.GetEnvironmentVariable("LEADPORTAL_REQUIRE_POSTGRES") != "1"
            ? "PostgreSQL tests need Debian's PostgreSQL (apt-get install postgresql)."
            : null;

    public static PostgresServer Instance => Shared.Value;

    /// <summary>Set before first use to keep fsync on (benchmarks measuring durable commits); tests leave it off.</summary>
    public static bool Durable { get; set; }

    /// <summary>
    /// A new database, a copy of the migrated template (or, <paramref name="empty"/>, of PostgreSQL's own empty one, as a
    /// first deployment finds it), and its connection string.
    /// </summary>
    public string NewDatabase(bool empty = false)
    {
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        using (var connection = new NpgsqlConnection(_admin))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\" TEMPLATE \"{(empty ? "template0" : Template)}\"";
            command.ExecuteNonQuery();
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    /// <summary>Drops a test database (its connections are closed first).</summary>
    public void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(_admin);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        command.ExecuteNonQuery();
    }

    private static PostgresServer Start()
    {
        var bin = FindBin() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (apt-get install postgresql): LEADPORTAL_REQUIRE_POSTGRES=1 makes its tests fail rather than skip.");
        var asRoot = Environment.UserName == "root";
        RemoveLeftovers(bin, asRoot);
        // In the run's own folder (TestTemp): when the test host ends, however it ends, the run's watchdog stops this
        // server and removes it with the folder.
        var directory = Path.Combine(TestTemp.Root, $"pg-{Guid.NewGuid():N}"[..11]);
        System.IO.Directory.CreateDirectory(directory);
        var data = Path.Combine(directory, "data");
        if (asRoot)
        {
            Run("chown", ["-R", "postgres:postgres", directory]);
        }

        RunAs(asRoot, Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        var port = FreePort();
        // fsync off for tests: the server outlives every app process a test kills, so a commit only has to reach the
        // server; durability against a machine crash is the production server's setting, not the tests'.
        var durability = Durable ? "-c fsync=on -c full_page_writes=on -c shared_buffers=1GB" : "-c fsync=off -c full_page_writes=off";
        var options = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 {durability} -c max_connections=300";
        RunAs(asRoot, Path.Combine(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start"]);
        var server = new PostgresServer(directory, port, bin);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(asRoot, data);

        using (var connection = new NpgsqlConnection(server._admin))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{Template}\"";
            command.ExecuteNonQuery();
        }

        using (var db = PostgresStore.CreateContext(server.ConnectionString(Template)))
        {
            db.Database.Migrate();
        }

        NpgsqlConnection.ClearAllPools();
        return server;
    }

    private void Stop(bool asRoot, string data)
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            StopAndDelete(Bin, asRoot, Directory);
        }
        catch (Exception)
        {
            // The run is ending; the next run removes what is left (RemoveLeftovers).
        }
    }

    private static void StopAndDelete(string bin, bool asRoot, string directory)
    {
        var data = Path.Combine(directory, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            try
            {
                RunAs(asRoot, Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // Not running any more (a stale pid file).
            }
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>Servers of earlier test runs that ended without stopping theirs (a killed test host).</summary>
    /// <summary>Stops the server of a test run that ended without stopping it (its folder is about to be deleted).</summary>
    public static void StopLeftover(string data)
    {
        if (FindBin() is not { } bin)
        {
            return;
        }

        try
        {
            RunAs(Environment.UserName == "root", Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Not running any more (a stale pid file).
        }
    }

    private static void RemoveLeftovers(string bin, bool asRoot)
    {
        foreach (var directory in System.IO.Directory.GetDirectories(Path.GetTempPath(), "leadportal-pg-*"))
        {
            var parts = Path.GetFileName(directory).Split('-');
            if (parts.Length < 4 || !int.TryParse(parts[2], out var pid) || ProcessAlive(pid))
            {
                continue;
            }

            try
            {
                StopAndDelete(bin, asRoot, directory);
            }
            catch (Exception)
            {
                // Someone else's or still in use: left alone.
            }
        }
    }

    private static bool ProcessAlive(int pid)
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void RunAs(bool asRoot, string program, string[] arguments)
    {
        if (asRoot)
        {
            Run("runuser", ["-u", "postgres", "--", program, .. arguments]);
        }
        else
        {
            Run(program, arguments);
        }
    }

    private static void Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} did not finish in 2 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}{output.Result}");
        }
    }
}
