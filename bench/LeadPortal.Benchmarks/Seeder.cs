using System.Diagnostics;
using LeadPortal.Data;
using LeadPortal.Data.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Benchmarks;

/// <summary>
/// A database of realistic leads: ~200 offers, ~60 countries, every action code, three years of dates, 1% test leads.
/// Built once through the app's migrations and kept (keyed by the migrations it has) for later runs.
/// </summary>
internal static class Seeder
{
    public static readonly DateTime End = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly string[] Countries =
    [
        "US", "GB", "DE", "FR", "SE", "NO", "DK", "FI", "NL", "BE", "ES", "IT", "PT", "IE", "PL", "CZ", "AT", "CH", "HU", "RO",
        "GR", "TR", "IL", "AE", "SA", "ZA", "NG", "KE", "EG", "MA", "IN", "PK", "BD", "CN", "JP", "KR", "TW", "HK", "SG", "MY",
        "TH", "VN", "ID", "PH", "AU", "NZ", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "UY", "EE", "LV", "LT", "IS", "LU", "SK",
    ];

    private static readonly (string Code, int Weight)[] Actions = [("INS", 55), ("PLT", 20), ("Create", 12), ("StartTestDrive", 8), ("DNC", 5)];
    private static readonly string[] Sources = ["AzureMarketplace", "AppSource", "AzurePortal"];
    private static readonly string[] FirstNames = ["Maja", "Ben", "Aiko", "Tomás", "Priya", "Lars", "Sofia", "Noah", "Emma", "Liam", "Olivia", "Mateo", "Yuki", "Amara", "Chen", "Fatima"];
    private static readonly string[] LastNames = ["Lindqvist", "Okafor", "Tanaka", "Ó Briain", "Nair", "Berg", "Rossi", "Smith", "Müller", "García", "Kim", "Haddad", "Silva", "Novak", "Ivanova", "Dubois"];
    private static readonly string[] CompanyWords = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Woodgrove", "Adatum", "Litware", "Proseware", "Fourth Coffee", "Wingtip", "Alpine Ski", "Coho Winery"];

    public static async Task<string> EnsureAsync(string path, int count)
    {
        await using (var db = SqliteStore.CreateContext($"Data Source={path}"))
        {
            if (File.Exists(path) && await db.Leads.CountAsync() == count)
            {
                // Newer migrations (an index, the search table) are applied to the seeded leads, as in production.
                var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
                if (pending.Count > 0)
                {
                    var migrating = Stopwatch.StartNew();
                    await db.Database.MigrateAsync();
                    Console.WriteLine($"Applied {string.Join(", ", pending)} to the seeded database in {migrating.Elapsed.TotalSeconds:0}s");
                }

                await CatchUpSearchIndexAsync(path);
                Console.WriteLine($"Using the seeded database {path}");
                return path;
            }
        }

        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }

        Console.WriteLine($"Seeding {count:N0} leads into {path} …");
        var watch = Stopwatch.StartNew();
        await using (var db = SqliteStore.CreateContext($"Data Source={path}"))
        {
            await db.Database.MigrateAsync();
        }

        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
        var random = new Random(42);
        var span = (End - End.AddYears(-3)).TotalSeconds;
        // Leads arrive in time order, so ids grow with ReceivedAt as they do in the app (intake assigns both at arrival).
        var arrivals = new double[count];
        for (var i = 0; i < count; i++)
        {
            arrivals[i] = random.NextDouble() * span;
        }

        Array.Sort(arrivals);
        const int batch = 50_000;
        for (var done = 0; done < count; done += batch)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var lead = connection.CreateCommand();
            lead.Transaction = transaction;
            lead.CommandText = """
                INSERT INTO Leads (ReceivedAt, Source, ActionCode, OfferId, OfferTitle, LeadSourceRaw, Description, FirstName, LastName, Email,
                    EmailNormalized, Phone, Country, Company, Title, IsTest, Status, BodyHash, IntakeKeyId)
                VALUES ($at, $source, $action, $offer, $title, $raw, $description, $first, $last, $email, $email, $phone, $country, $company, $jobtitle, $test, $status, $hash, NULL)
                RETURNING Id
                """;
            var p = new[] { "$at", "$source", "$action", "$offer", "$title", "$raw", "$description", "$first", "$last", "$email", "$phone", "$country", "$company", "$jobtitle", "$test", "$status", "$hash" }
                .ToDictionary(n => n, n => lead.Parameters.Add(new SqliteParameter { ParameterName = n }));
            await using var payload = connection.CreateCommand();
            payload.Transaction = transaction;
            payload.CommandText = "INSERT INTO LeadPayloads (LeadId, Body) VALUES ($id, $body)";
            var pid = payload.Parameters.Add(new SqliteParameter { ParameterName = "$id" });
            var pbody = payload.Parameters.Add(new SqliteParameter { ParameterName = "$body" });

            for (var i = done; i < Math.Min(count, done + batch); i++)
            {
                var offerNumber = Skewed(random, 200);
                var publisher = offerNumber % 37;
                var action = Pick(random);
                var source = action == "Create" ? "AzurePortal" : Sources[random.Next(2)];
                var first = FirstNames[random.Next(FirstNames.Length)];
                var last = LastNames[random.Next(LastNames.Length)];
                var company = $"{CompanyWords[random.Next(CompanyWords.Length)]} {random.Next(1, 5000)}";
                var email = $"{first.ToLowerInvariant()}.{i}@{company.Replace(' ', '-').ToLowerInvariant()}.example";
                var test = random.Next(100) == 0;
                p["$at"].Value = End.AddSeconds(-span + arrivals[i]);
                p["$source"].Value = source;
                p["$action"].Value = action;
                p["$offer"].Value = $"publisher{publisher}.offer{offerNumber}";
                p["$title"].Value = $"Offer {offerNumber}";
                p["$raw"].Value = $"{source}-{action}|publisher{publisher}.offer{offerNumber}";
                p["$description"].Value = "Customer selected Get It Now";
                p["$first"].Value = test ? "MSFT_TEST_1" : first;
                p["$last"].Value = test ? "MSFT_TEST_1" : last;
                p["$email"].Value = email;
                p["$phone"].Value = $"+46 8 555 {random.Next(10000):0000}";
                p["$country"].Value = Countries[Skewed(random, Countries.Length) - 1];
                p["$company"].Value = company;
                p["$jobtitle"].Value = "Head of IT";
                p["$test"].Value = test;
                p["$status"].Value = random.Next(5);
                p["$hash"].Value = System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i));
                var id = (long)(await lead.ExecuteScalarAsync())!;
                pid.Value = id;
                pbody.Value = $$"""{"UserDetails":{"FirstName":"{{first}}","LastName":"{{last}}","Email":"{{email}}","Country":"SE","Company":"{{company}}"},"LeadSource":"{{source}}-{{action}}|publisher{{publisher}}.offer{{offerNumber}}","ActionCode":"{{action}}","OfferTitle":"Offer {{offerNumber}}"}""";
                await payload.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
            Console.Write($"\r  {Math.Min(count, done + batch):N0} leads, {watch.Elapsed.TotalSeconds:0}s");
        }

        Console.WriteLine($"\r  {count:N0} leads seeded in {watch.Elapsed.TotalSeconds:0}s");
        await CatchUpSearchIndexAsync(path);
        await Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        return path;
    }

    /// <summary>
    /// The state the running app keeps the store in: its intake writer adds new leads to the free-text index in blocks
    /// (SqliteDialect.IndexNewLeadsAsync); seeded rows bypass the writer, so the same step runs here until it has caught
    /// up. Without it every text search would fall back to a scan (p95 over a second at 1M leads).
    /// </summary>
    private static async Task CatchUpSearchIndexAsync(string path)
    {
        await using var db = SqliteStore.CreateContext($"Data Source={path}");
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var watch = Stopwatch.StartNew();
        long total = 0;
        int indexed;
        do
        {
            indexed = await db.Dialect.IndexNewLeadsAsync(connection);
            total += indexed;
        }
        while (indexed >= db.Dialect.SearchIndexBlock);

        var behind = await db.Leads.CountAsync(l => l.Id > db.LeadSearchProgress.Select(p => p.IndexedUpTo).First());
        if (behind != 0)
        {
            throw new InvalidOperationException($"The search index is {behind} leads behind after catching up.");
        }

        Console.WriteLine($"  search index current ({total:N0} leads added in {watch.Elapsed.TotalSeconds:0}s)");
    }

    /// <summary>1..n, the low numbers more often (a few offers and countries bring most leads).</summary>
    private static int Skewed(Random random, int n) => Math.Min(n, 1 + (int)(n * Math.Pow(random.NextDouble(), 2)));

    private static string Pick(Random random)
    {
        var roll = random.Next(100);
        foreach (var (code, weight) in Actions)
        {
            if ((roll -= weight) < 0)
            {
                return code;
            }
        }

        return "INS";
    }

    private static async Task Exec(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
