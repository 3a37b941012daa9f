using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace LeadPortal.Data.Sqlite;

/// <summary>What a backup or a restore wrote, checked.</summary>
public sealed record BackupResult(string Path, long Bytes, long Leads, TimeSpan Took);

/// <summary>
/// A consistent copy of a live SQLite store with SQLite's online backup (the pages as of one read transaction: WAL lets
/// the intake writer go on meanwhile), and a restore that puts such a copy in place of a store no app is running on.
/// Both check the result with <c>PRAGMA integrity_check</c> before they report success.
/// </summary>
public static class SqliteBackup
{
    /// <summary>Held (shared) by every app running on the file; a restore needs it exclusively.</summary>
    public static string InUseLockPath(string databasePath) => Path.GetFullPath(databasePath) + ".in-use";

    /// <summary>Marks the file as in use for as long as the returned stream is open (the app's lifetime).</summary>
    public static FileStream HoldInUse(string databasePath) =>
        new(InUseLockPath(databasePath), FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);

    public static async Task<BackupResult> BackupAsync(string sourceConnectionString, string targetPath, CancellationToken cancellationToken = default)
    {
        var source = new SqliteConnectionStringBuilder(sourceConnectionString).DataSource;
        if (string.IsNullOrEmpty(source) || !File.Exists(source))
        {
            throw new StoreCommandException($"There is no SQLite database at '{source}'.");
        }

        targetPath = Path.GetFullPath(targetPath);
        if (File.Exists(targetPath))
        {
            throw new StoreCommandException($"'{targetPath}' exists already; choose a new file for the backup.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(targetPath)!);
        var watch = Stopwatch.StartNew();
        // Written beside the target and renamed when whole and checked: a backup file that exists is a good one.
        var partial = targetPath + ".partial";
        File.Delete(partial);
        try
        {
            await using (var from = new SqliteConnection(new SqliteConnectionStringBuilder(sourceConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            await using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
            {
                await from.OpenAsync(cancellationToken);
                await to.OpenAsync(cancellationToken);
                from.BackupDatabase(to);
                await using var journal = to.CreateCommand();
                // A single file, readable by itself: no WAL beside it.
                journal.CommandText = "PRAGMA journal_mode=DELETE;";
                await journal.ExecuteNonQueryAsync(cancellationToken);
            }

            var leads = await CheckAsync(partial, cancellationToken);
            File.Move(partial, targetPath);
            OwnerOnly(targetPath);
            return new BackupResult(targetPath, new FileInfo(targetPath).Length, leads, watch.Elapsed);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>
    /// Puts a backup in place of the store at <paramref name="targetConnectionString"/>. Refused while an app runs on it.
    /// The store it replaces (and its WAL) is kept beside it as <c>&lt;file&gt;.before-restore-&lt;time&gt;</c>.
    /// </summary>
    public static async Task<(BackupResult Restored, string? Kept)> RestoreAsync(string backupPath, string targetConnectionString, CancellationToken cancellationToken = default)
    {
        backupPath = Path.GetFullPath(backupPath);
        if (!File.Exists(backupPath))
        {
            throw new StoreCommandException($"There is no backup at '{backupPath}'.");
        }

        await CheckAsync(backupPath, cancellationToken);
        var target = Path.GetFullPath(new SqliteConnectionStringBuilder(targetConnectionString).DataSource);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        FileStream inUse;
        try
        {
            inUse = new FileStream(InUseLockPath(target), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new StoreCommandException($"LeadPortal is running on '{target}': stop every instance using it, then restore.");
        }

        await using (inUse)
        {
            var watch = Stopwatch.StartNew();
            string? kept = null;
            if (File.Exists(target))
            {
                kept = $"{target}.before-restore-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
                foreach (var suffix in new[] { "", "-wal", "-shm" })
                {
                    if (File.Exists(target + suffix))
                    {
                        // The WAL belongs to the file it was written for: it moves with it, never onto the restored one.
                        File.Move(target + suffix, kept + suffix);
                    }
                }
            }

            await using (var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = backupPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            await using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
            {
                await from.OpenAsync(cancellationToken);
                await to.OpenAsync(cancellationToken);
                from.BackupDatabase(to);
            }

            OwnerOnly(target);
            var leads = await CheckAsync(target, cancellationToken);
            return (new BackupResult(target, new FileInfo(target).Length, leads, watch.Elapsed), kept);
        }
    }

    /// <summary>The file passes SQLite's integrity check and is a LeadPortal store; returns its lead count.</summary>
    public static async Task<long> CheckAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        var result = (string?)await check.ExecuteScalarAsync(cancellationToken);
        if (result != "ok")
        {
            throw new StoreCommandException($"'{path}' fails SQLite's integrity check: {result}");
        }

        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'Leads'";
        if ((long)(await count.ExecuteScalarAsync(cancellationToken))! == 0)
        {
            throw new StoreCommandException($"'{path}' is not a LeadPortal store (it has no Leads table).");
        }

        count.CommandText = "SELECT count(*) FROM \"Leads\"";
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    private static void OwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}

/// <summary>A store command (copy, backup, restore) cannot do what it was asked; the message says why.</summary>
public sealed class StoreCommandException(string message) : Exception(message);
