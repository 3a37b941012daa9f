using System.Net;
using System.Net.Sockets;

namespace LeadPortal.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder to a server (PostgreSQL) that a test can cut, as a network failure or a database failover
/// would: open connections are reset and new ones closed at once, until it is restored.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _cut;

    private TcpProxy(int target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public static TcpProxy To(int port) => new(port);

    /// <summary>Resets every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var client in _open)
            {
                Reset(client);
            }

            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            if (_cut)
            {
                Reset(client);
                continue;
            }

            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(server);
            }

            var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(up, down);
        }
        catch (Exception)
        {
            // A cut or a closed side ends the pair.
        }
        finally
        {
            Reset(client);
            Reset(server);
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(server);
            }
        }
    }

    private static void Reset(TcpClient client)
    {
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
            client.Close();
        }
        catch (Exception)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
