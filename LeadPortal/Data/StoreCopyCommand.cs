using LeadPortal.Data.Sqlite;

namespace LeadPortal.Data;

/// <summary>
/// <c>dotnet LeadPortal.dll copy-store --to "Host=…;Database=…;Username=…;Password=…" [--from "Data Source=…"] [--replace]</c>
/// (or <c>dotnet run --project LeadPortal -- copy-store …</c>): copies the SQLite store into PostgreSQL.
/// </summary>
public static class StoreCopyCommand
{
    public const string Name = "copy-store";

    private const string Usage = """
        Usage: dotnet LeadPortal.dll copy-store --to "<PostgreSQL connection string>" [--from "<SQLite connection string>"] [--replace]

          --to       the PostgreSQL database to copy into (migrated first; it must be empty unless --replace)
          --from     the SQLite store to copy (default: the one the app is configured with, App_Data/leadportal.db)
          --replace  empty the target's LeadPortal tables first

        The copy is one transaction: if it fails, the target is left as it was and the command can be run again.
        Stop intake (or accept that leads arriving during the copy stay only in SQLite) and then point the app at the
        target: Store:Provider=Postgres and ConnectionStrings:LeadPortal=<the same connection string>.
        """;

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, string contentRoot, TextWriter output, TextWriter error)
    {
        string? to = null, from = null;
        var replace = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--to" when i + 1 < args.Length:
                    to = args[++i];
                    break;
                case "--from" when i + 1 < args.Length:
                    from = args[++i];
                    break;
                case "--replace":
                    replace = true;
                    break;
                case "--help" or "-h":
                    await output.WriteLineAsync(Usage);
                    return 0;
                default:
                    // Other arguments are the host's own (--ConnectionStrings:LeadPortal=…, --environment …).
                    if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i] is "--to" or "--from")
                    {
                        await error.WriteLineAsync($"copy-store: unexpected argument '{args[i]}'.\n\n{Usage}");
                        return 2;
                    }

                    if (!args[i].Contains('=', StringComparison.Ordinal) && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        i++;
                    }

                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(to))
        {
            await error.WriteLineAsync($"copy-store: say where to copy to with --to.\n\n{Usage}");
            return 2;
        }

        if (from is null)
        {
            if (StoreOptions.ProviderFrom(configuration) != StoreProvider.Sqlite)
            {
                await error.WriteLineAsync("copy-store: the app is configured for PostgreSQL already; say which SQLite store to copy with --from \"Data Source=…\".");
                return 2;
            }

            from = SqliteStore.ResolveConnectionString(configuration.GetConnectionString("LeadPortal"), contentRoot);
        }

        try
        {
            await output.WriteLineAsync($"Copying {Describe(from)} into PostgreSQL…");
            var tables = await StoreCopy.CopyAsync(from, to, replace, line => output.WriteLine(line));
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{"Table",-28} {"SQLite",12} {"PostgreSQL",12}");
            foreach (var table in tables)
            {
                await output.WriteLineAsync($"{table.Table,-28} {table.Source,12:N0} {table.Target,12:N0}  {(table.Source == table.Target ? "ok" : "DIFFERENT")}");
            }

            await output.WriteLineAsync($"Copied {tables.Count} tables, {tables.Sum(t => t.Target):N0} rows; every count matches.");
            return 0;
        }
        catch (StoreCopyException ex)
        {
            await error.WriteLineAsync($"copy-store: {ex.Message}");
            return 1;
        }
    }

    private static string Describe(string sqliteConnectionString) =>
        new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(sqliteConnectionString).DataSource;
}
