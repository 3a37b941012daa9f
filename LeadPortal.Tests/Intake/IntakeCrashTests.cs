using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace LeadPortal.Tests.Intake;

public sealed class IntakeCrashTests
{
    /// <summary>The real app in its own process, killed without warning right after answering.</summary>
    [Fact(Timeout = 120_000)]
    public async Task Every_acknowledged_lead_survives_the_process_being_killed()
    {
        var database = TempDatabase.NewPath();
        var start = new ProcessStartInfo("dotnet", ["LeadPortal.dll", "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__LeadPortal"] = $"Data Source={database}";
        start.Environment["Intake__BootstrapKey"] = LeadPortalFactory.IntakeKey;
        start.Environment["Bootstrap__AdminPassword"] = LeadPortalFactory.AdminPassword;
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";

        using var app = Process.Start(start)!;
        var acknowledged = new List<long>();
        try
        {
            var address = await ListeningAddressAsync(app);
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => http.PostLeadAsync(SampleLeads.Unique())));
            foreach (var response in responses)
            {
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                acknowledged.Add(long.Parse((await response.ReadReceiptAsync()).Id));
            }
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }

        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Leads";
        var stored = new HashSet<long>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetInt64(0));
            }
        }

        Assert.Equal(200, acknowledged.Count);
        Assert.Subset(stored, acknowledged.ToHashSet());
    }

    private static async Task<string> ListeningAddressAsync(Process app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await app.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = Regex.Match(line, @"Now listening on: (http://\S+)");
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }

        throw new InvalidOperationException($"The app exited before listening: {await app.StandardError.ReadToEndAsync()}");
    }
}
