using System.Diagnostics;
using LeadPortal.Data;
using LeadPortal.Data.Postgres;
using LeadPortal.Data.Sqlite;
using LeadPortal.Leads;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Benchmarks;

/// <summary>The inbox's and the dashboard's real code paths (LeadQuery, LeadStats) on the seeded database.</summary>
internal static class QueryBench
{
    private sealed class Factory(Func<LeadPortalDbContext> create) : IDbContextFactory<LeadPortalDbContext>
    {
        public LeadPortalDbContext CreateDbContext() => create();
    }

    public static Task RunSqliteAsync(Report report, string database) =>
        RunAsync(report, "SQLite", new Factory(() => SqliteStore.CreateContext($"Data Source={database}")));

    public static Task RunPostgresAsync(Report report, string connectionString)
    {
        var options = new DbContextOptionsBuilder<LeadPortal.Data.Postgres.PostgresLeadPortalDbContext>()
            .UseLeadPortalPostgres(connectionString).Options;
        return RunAsync(report, "PostgreSQL", new Factory(() => new LeadPortal.Data.Postgres.PostgresLeadPortalDbContext(options)));
    }

    private sealed class At(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now);
    }

    private static async Task RunAsync(Report report, string store, Factory factory)
    {
        Console.WriteLine($"Queries on {store}:");
        var query = new LeadQuery(factory);
        var utc = TimeZoneInfo.Utc;
        var last = DateOnly.FromDateTime(Seeder.End.AddDays(-1));
        string email;
        await using (var db = factory.CreateDbContext())
        {
            var middle = await db.Leads.CountAsync() / 2;
            email = await db.Leads.Where(l => l.Id == middle).Select(l => l.Email!).SingleAsync();
        }

        var runs = Runner.Env("BENCH_RUNS", 50);
        var scenarios = new (string Name, LeadFilter Filter, int Page)[]
        {
            ("newest page of 50", new LeadFilter(), 0),
            ("offer + 30 days", new LeadFilter { Offer = "publisher2.offer2", From = last.AddDays(-29), To = last }, 0),
            ("action + country", new LeadFilter { Action = "PLT", Country = "SE" }, 0),
            ("text: company substring", new LeadFilter { Text = "wind 42" }, 0),
            ("text: email", new LeadFilter { Text = email }, 0),
            // Issue 27: people as staff type them (without accents, last name first, a phone's digits, an offer title).
            ("text: name without accents", new LeadFilter { Text = "lindqvist" }, 0),
            ("text: name folded", new LeadFilter { Text = "muller" }, 0),
            ("text: last, first", new LeadFilter { Text = "Müller, Maja" }, 0),
            ("text: phone digits", new LeadFilter { Text = "+46 8 555 12" }, 0),
            ("text: offer title", new LeadFilter { Text = "Offer 177" }, 0),
            ("page 10,000 deep", new LeadFilter(), 10_000),
        };
        foreach (var (name, filter, page) in scenarios)
        {
            var samples = new List<double>();
            LeadPage? result = null;
            for (var i = 0; i < runs + 3; i++)
            {
                var watch = Stopwatch.StartNew();
                result = await query.GetPageAsync(filter, LeadSort.Received, true, page, 50, utc);
                if (i >= 3)
                {
                    samples.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            Add(report, store, name, samples, result!.Rows.Count, result.Total);
        }

        // What an open inbox runs when leads arrive: do these new ones match its filter?
        var arrivals = Enumerable.Range(0, 5).Select(i => (long)(1_000 + (i * 199_999))).ToList();
        var arrivalSamples = new List<double>();
        var matching = 0;
        for (var i = 0; i < runs + 3; i++)
        {
            var watch = Stopwatch.StartNew();
            matching = await query.CountMatchingAsync(new LeadFilter { Country = "US" }, arrivals, utc);
            if (i >= 3)
            {
                arrivalSamples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        Add(report, store, "new-lead check (5 ids, country filter)", arrivalSamples, matching, arrivals.Count);

        // The offer, source and country lists the inbox loads with its first page.
        var optionSamples = new List<double>();
        FilterOptions? options = null;
        for (var i = 0; i < runs + 3; i++)
        {
            var watch = Stopwatch.StartNew();
            options = await query.GetFilterOptionsAsync();
            if (i >= 3)
            {
                optionSamples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        Add(report, store, "filter lists (offers, sources, countries)", optionSamples, options!.Offers.Count + options.Sources.Count + options.Countries.Count, options.Offers.Count);

        var stats = new LeadStats(factory, new At(Seeder.End));
        var dashboardSamples = new List<double>();
        DashboardData? data = null;
        for (var i = 0; i < runs + 3; i++)
        {
            var watch = Stopwatch.StartNew();
            data = await stats.GetAsync(last.AddDays(-29), last, utc);
            if (i >= 3)
            {
                dashboardSamples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        Add(report, store, "dashboard, 30 days", dashboardSamples, data!.PerDay.Count, data.Last30Days);
    }

    private static void Add(Report report, string store, string name, List<double> samples, int rows, int total)
    {
        var (p50, p95) = Shell.Percentiles(samples);
        report.Queries.Add(new() { ["store"] = store, ["name"] = name, ["runs"] = samples.Count, ["p50"] = p50, ["p95"] = p95, ["rows"] = rows, ["total"] = total });
        Console.WriteLine($"  {name}: p50 {p50} ms, p95 {p95} ms ({rows} rows of {total})");
    }
}
