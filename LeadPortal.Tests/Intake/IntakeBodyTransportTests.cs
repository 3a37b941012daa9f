using System.Net.Sockets;
using System.Text;
using LeadPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace LeadPortal.Tests.Intake;

/// <summary>Bodies that break off, trickle or are declared huge, against the real server (Kestrel) in its own process.</summary>
[Collection(HeavyTests.Name)]
public sealed class IntakeBodyTransportTests : IAsyncLifetime
{
    private readonly string _database = TempDatabase.NewPath();
    private AppProcess _app = null!;

    public async Task InitializeAsync() => _app = await AppProcess.StartAsync(_database);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact(Timeout = 120_000)]
    public async Task Bodies_that_break_off_are_counted_and_sampled_without_an_error_in_the_log()
    {
        for (var i = 0; i < 200; i++)
        {
            using var socket = await ConnectAsync();
            await SendAsync(socket, Head(1000) + "{\"UserDetails\":");
            socket.Client.Close(); // hang up mid-body
        }

        var sampled = await WaitForRowsAsync("SELECT COUNT(*) FROM DeliveryLog WHERE StatusCode = 499", atLeast: 1);
        Assert.InRange(sampled, 1, 20);
        await Task.Delay(500);
        var errors = _app.Output.Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_body_trickled_a_byte_a_second_gets_408()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, Head(200));
        var answer = ReadAnswerAsync(socket);
        for (var i = 0; i < 30 && !answer.IsCompleted; i++)
        {
            await SendAsync(socket, "{");
            await Task.WhenAny(answer, Task.Delay(1000));
        }

        Assert.StartsWith("HTTP/1.1 408", await answer);
        Assert.Contains("application/problem+json", await answer);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_body_declared_larger_than_the_server_takes_gets_413()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, Head(40_000_000) + "{\"UserDetails\":{}}");

        var answer = await ReadAnswerAsync(socket);

        Assert.StartsWith("HTTP/1.1 413", answer);
        Assert.Contains("Lead too large", answer);
    }

    private static string Head(long contentLength) =>
        $"POST /api/leads?key={Uri.EscapeDataString(LeadPortalFactory.IntakeKey)} HTTP/1.1\r\nHost: localhost\r\n" +
        $"Content-Type: application/json\r\nContent-Length: {contentLength}\r\n\r\n";

    private async Task<TcpClient> ConnectAsync()
    {
        var address = new Uri(_app.Address);
        var socket = new TcpClient();
        await socket.ConnectAsync(address.Host, address.Port);
        return socket;
    }

    private static async Task SendAsync(TcpClient socket, string text) =>
        await socket.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Everything the server sends until it closes the connection or goes quiet.</summary>
    private static async Task<string> ReadAnswerAsync(TcpClient socket)
    {
        var buffer = new byte[16384];
        var text = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            int read;
            try
            {
                read = await socket.GetStream().ReadAsync(buffer, timeout.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            if (text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && text.ToString().Contains('}'))
            {
                break;
            }
        }

        return text.ToString();
    }

    private async Task<long> WaitForRowsAsync(string sql, long atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using var connection = new SqliteConnection($"Data Source={_database};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var count = (long)(await command.ExecuteScalarAsync())!;
            if (count >= atLeast || DateTime.UtcNow > deadline)
            {
                return count;
            }

            await Task.Delay(100);
        }
    }
}
