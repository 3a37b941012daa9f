using LeadPortal.Data.Sqlite;

namespace LeadPortal.Data;

/// <summary>
/// <c>dotnet LeadPortal.dll backup --to &lt;file&gt;</c> and <c>dotnet LeadPortal.dll restore --from &lt;file&gt;</c> for the
/// SQLite store (PostgreSQL has pg_dump and pg_restore; README "Backup and restore").
/// </summary>
public static class BackupCommand
{
    public const string Backup = "backup";
    public const string Restore = "restore";

    private const string Usage = """
        Usage: dotnet LeadPortal.dll backup --to <new file> [--from "<SQLite connection string>"]
               dotnet LeadPortal.dll restore --from <backup file> [--to "<SQLite connection string>"]

          backup   a consistent copy of the store while LeadPortal runs and takes leads (SQLite's online backup),
                   checked with PRAGMA integrity_check; the file is only there once it is whole
          restore  puts a backup in place of the store, which no LeadPortal instance may be running on; the store it
                   replaces is kept beside it as <file>.before-restore-<time>
          The store defaults to the one the app is configured with (App_Data/leadportal.db).

        On PostgreSQL use pg_dump -Fc and pg_restore (README "Backup and restore").
        """;

    public static async Task<int> RunAsync(string command, string[] args, IConfiguration configuration, string contentRoot, TextWriter output, TextWriter error)
    {
        string? file = null, store = null;
        var fileFlag = command == Backup ? "--to" : "--from";
        var storeFlag = command == Backup ? "--from" : "--to";
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--help" or "-h")
            {
                await output.WriteLineAsync(Usage);
                return 0;
            }

            if (args[i] == fileFlag && i + 1 < args.Length)
            {
                file = args[++i];
            }
            else if (args[i] == storeFlag && i + 1 < args.Length)
            {
                store = args[++i];
            }
            else if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                await error.WriteLineAsync($"{command}: unexpected argument '{args[i]}'.\n\n{Usage}");
                return 2;
            }
            else if (!args[i].Contains('=', StringComparison.Ordinal) && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                i++; // the host's own (--environment Production)
            }
        }

        if (string.IsNullOrWhiteSpace(file))
        {
            await error.WriteLineAsync($"{command}: say which file with {fileFlag}.\n\n{Usage}");
            return 2;
        }

        if (store is null)
        {
            if (StoreOptions.ProviderFrom(configuration) != StoreProvider.Sqlite)
            {
                await error.WriteLineAsync($"{command}: the app runs on PostgreSQL; use pg_dump -Fc and pg_restore (README \"Backup and restore\").");
                return 2;
            }

            store = SqliteStore.ResolveConnectionString(configuration.GetConnectionString("LeadPortal"), contentRoot);
        }
        else if (!store.Contains('=', StringComparison.Ordinal))
        {
            store = $"Data Source={store}"; // a plain path
        }

        try
        {
            if (command == Backup)
            {
                var done = await SqliteBackup.BackupAsync(store, file);
                await output.WriteLineAsync($"Backed up {done.Leads:N0} leads to {done.Path} ({done.Bytes / 1024.0 / 1024.0:0.0} MB, {done.Took.TotalSeconds:0.0} s); integrity check ok.");
            }
            else
            {
                var (done, kept) = await SqliteBackup.RestoreAsync(file, store);
                await output.WriteLineAsync($"Restored {done.Leads:N0} leads into {done.Path} ({done.Took.TotalSeconds:0.0} s); integrity check ok."
                    + (kept is null ? "" : $" The store it replaced is kept as {kept}."));
            }

            return 0;
        }
        catch (StoreCommandException ex)
        {
            await error.WriteLineAsync($"{command}: {ex.Message}");
            return 1;
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            await error.WriteLineAsync($"{command}: SQLite refused: {ex.Message}");
            return 1;
        }
    }
}
