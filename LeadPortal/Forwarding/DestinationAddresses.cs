using System.Net;
using System.Net.Sockets;

namespace LeadPortal.Forwarding;

/// <summary>Thrown by the forwarding client's connect step when every address of the destination is refused.</summary>
public sealed class BlockedDestinationException(string message) : Exception(message);

/// <summary>
/// Which addresses forwarding may connect to. An admin's URL is a request the server makes on their behalf, and the
/// answer's start is shown back to them: without this check a destination could read this machine's ports, the cloud
/// metadata service or anything on the private network. Only public addresses, unless
/// <see cref="ForwardingOptions.AllowPrivateNetworks"/>.
/// </summary>
public static class DestinationAddresses
{
    /// <summary>How long saving a destination waits for its host name to resolve before leaving it to the connect check.</summary>
    public static readonly TimeSpan SaveLookupTimeout = TimeSpan.FromSeconds(3);

    private static readonly byte[] Nat64Prefix = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];

    private const string Remedy = $"forwarding reaches public addresses only, unless {ForwardingOptions.Section}:AllowPrivateNetworks is true";

    /// <summary>What kind of non-public address this is (for a message), or null when forwarding may connect to it.</summary>
    public static string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return Refusal(address.MapToIPv4()) is { } mapped ? $"{mapped} (in its IPv4-mapped IPv6 form)" : null;
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => RefusalV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => RefusalV6(address),
            _ => "not an IP address forwarding knows",
        };
    }

    private static string? RefusalV4(byte[] b) => (b[0], b[1], b[2], b[3]) switch
    {
        // Metadata first: it lies inside link-local, and is the address an attacker wants most.
        (169, 254, 169, 254) or (169, 254, 170, 2) or (100, 100, 100, 200) => "a cloud metadata service address",
        (0, 0, 0, 0) => "the unspecified address (it reaches this machine)",
        (0, _, _, _) => "a \"this network\" address (0.0.0.0/8)",
        (127, _, _, _) => "a loopback address (this machine)",
        (10, _, _, _) => "a private network address (RFC 1918, 10.0.0.0/8)",
        (172, >= 16 and <= 31, _, _) => "a private network address (RFC 1918, 172.16.0.0/12)",
        (192, 168, _, _) => "a private network address (RFC 1918, 192.168.0.0/16)",
        (100, >= 64 and <= 127, _, _) => "a carrier-grade NAT address (100.64.0.0/10)",
        (169, 254, _, _) => "a link-local address (169.254.0.0/16)",
        (192, 0, 0, _) => "an IETF protocol address (192.0.0.0/24)",
        (>= 224 and <= 239, _, _, _) => "a multicast address",
        (255, 255, 255, 255) => "the broadcast address",
        (>= 240, _, _, _) => "a reserved address (240.0.0.0/4)",
        _ => null,
    };

    private static string? RefusalV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "the unspecified address (it reaches this machine)";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "a loopback address (this machine)";
        }

        var b = address.GetAddressBytes();
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            // IPv4-compatible (::a.b.c.d, deprecated): judged by the IPv4 address inside.
            return RefusalV4(b[12..]) is { } inner ? $"{inner} (in its IPv4-compatible IPv6 form)" : null;
        }

        if (b.AsSpan(0, 12).SequenceEqual(Nat64Prefix))
        {
            // NAT64 (64:ff9b::/96): the gateway connects to the IPv4 address inside.
            return RefusalV4(b[12..]) is { } inner ? $"{inner} (through NAT64)" : null;
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            // 6to4 (2002::/16) carries an IPv4 address in its next four bytes.
            return RefusalV4(b[2..6]) is { } inner ? $"{inner} (through 6to4)" : null;
        }

        return b switch
        {
            [0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54] => "a cloud metadata service address",
            [0xfe, >= 0x80 and <= 0xbf, ..] => "a link-local address (fe80::/10)",
            [0xfe, >= 0xc0, ..] => "a site-local address (fec0::/10)",
            [>= 0xfc and <= 0xfd, ..] => "a unique local (private) address (RFC 4193, fc00::/7)",
            [0xff, ..] => "a multicast address",
            _ => null,
        };
    }

    /// <summary>Names that mean this machine without asking DNS (RFC 6761).</summary>
    public static bool IsLocalhostName(string host)
    {
        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Why a URL's host is refused without a lookup (an address written in the URL, in any form: <c>2130706433</c>,
    /// <c>0x7f.1</c> and <c>[::ffff:127.0.0.1]</c> are all 127.0.0.1; or a localhost name); null when not, or not yet known.
    /// </summary>
    public static string? LiteralRefusal(Uri uri)
    {
        // Uri has already turned the decimal, octal and hex IPv4 forms into dotted decimal, as the HTTP client will.
        var host = uri.IdnHost;
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(host, out var address))
        {
            return Refusal(address) is { } why ? $"The URL's host {Describe(uri.Host, address, why)}: {Remedy}." : null;
        }

        return IsLocalhostName(host) ? $"The URL's host {uri.Host} is this machine (a loopback name): {Remedy}." : null;
    }

    /// <summary>
    /// <see cref="LiteralRefusal"/>, then the host name resolved: refused when any address it has now is not public. A
    /// name that does not resolve (yet) is left to the check at every connection.
    /// </summary>
    public static async Task<string?> RefusalAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (LiteralRefusal(uri) is { } refusal)
        {
            return refusal;
        }

        if (uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.Basic))
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken).WaitAsync(SaveLookupTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException or ArgumentException)
        {
            return null;
        }

        return addresses.Select(a => (Address: a, Why: Refusal(a))).FirstOrDefault(a => a.Why is not null) is { Why: { } why } found
            ? $"The URL's host {Describe(uri.Host, found.Address, why)}: {Remedy}."
            : null;
    }

    /// <summary>
    /// The forwarding client's connect step: resolves the host itself and connects only to an allowed address, so a
    /// name that passed when saved cannot be pointed at an internal address later (DNS rebinding), and a destination
    /// saved before the check, or while private networks were allowed, is still refused.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var host = endpoint.Host.TrimStart('[').TrimEnd(']');
        if (!allowPrivateNetworks && IsLocalhostName(host))
        {
            throw new BlockedDestinationException($"Not sent: {host} is this machine (a loopback name); {Remedy}.");
        }

        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (!allowPrivateNetworks)
        {
            var allowed = addresses.Where(a => Refusal(a) is null).ToArray();
            if (allowed.Length == 0)
            {
                var first = addresses.FirstOrDefault();
                throw new BlockedDestinationException(first is null
                    ? $"Not sent: {host} has no address."
                    : $"Not sent: {Describe(host, first, Refusal(first)!)}; {Remedy}.");
            }

            addresses = allowed;
        }

        // As SocketsHttpHandler's own connect does: a dual-mode socket tries each address in turn.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>"127.0.0.1 is a loopback address", or for a name "hooks.internal resolves to 10.0.0.5, a private …".</summary>
    private static string Describe(string host, IPAddress address, string why) =>
        string.Equals(host.Trim('[', ']'), address.ToString(), StringComparison.OrdinalIgnoreCase)
            ? $"{host} is {why}"
            : $"{host} resolves to {address}, {why}";
}
