using System.Net;
using System.Net.Sockets;

namespace PayTrack.Web.Kronos;

/// <summary>
/// What PayTrack's outbound clients (Kronos, Notion) may connect to, enforced where the connection is made: in the
/// primary handler's <see cref="SocketsHttpHandler.ConnectCallback"/>, on the addresses the name resolves to at that
/// moment, so a name that resolves to a public address when a form is checked and to 127.0.0.1 later is still caught.
/// Only http and https, no redirect followed (a redirect is information for the caller, never a second host to call),
/// and no loopback, private, link-local or otherwise non-public address unless the operator allows them (a simulator
/// on this machine, a campus site on a private network).
/// </summary>
public static class OutboundGuard
{
    /// <summary>
    /// Applies the guard to a primary handler and returns it. A refused address fails the request with an
    /// <see cref="HttpRequestException"/> whose inner exception is an <see cref="OutboundAddressRefusedException"/>;
    /// check with <see cref="IsRefusal"/> (never retry it).
    /// </summary>
    public static SocketsHttpHandler Apply(SocketsHttpHandler handler, bool allowPrivateAddresses)
    {
        ArgumentNullException.ThrowIfNull(handler);
        handler.AllowAutoRedirect = false;
        handler.ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateAddresses, cancellationToken);
        return handler;
    }

    /// <summary>Why PayTrack will not call this address (scheme, or a literal address that is not public), or null.</summary>
    public static string? Problem(Uri url, bool allowPrivateAddresses)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return "The address must be a full http:// or https:// URL.";
        }

        return !allowPrivateAddresses && (url.IsLoopback || (IPAddress.TryParse(url.IdnHost, out var literal) && !IsPublic(literal)))
            ? OutboundAddressRefusedException.Text
            : null;
    }

    /// <summary>True when the failure is the guard refusing an address (or wraps that refusal).</summary>
    public static bool IsRefusal(Exception? exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is OutboundAddressRefusedException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An address on the public internet: not loopback, private, shared, link-local, multicast, documentation or reserved.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return !(b[0] is 0 or 10 or 127 or >= 224 ||
                (b[0] == 100 && b[1] is >= 64 and < 128) ||
                (b[0] == 169 && b[1] == 254) ||
                (b[0] == 172 && b[1] is >= 16 and < 32) ||
                (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) ||
                (b[0] == 192 && b[1] == 168) ||
                (b[0] == 198 && b[1] is 18 or 19) ||
                (b[0] == 198 && b[1] == 51 && b[2] == 100) ||
                (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        var nat64 = v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b;
        if (nat64)
        {
            return IsPublic(new IPAddress(v6[12..]));
        }

        return !(IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) ||
            address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal ||
            (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) ||
            v6[..10].IndexOfAnyExcept((byte)0) < 0);
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivateAddresses, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        if (!allowPrivateAddresses && addresses.Any(a => !IsPublic(a)))
        {
            // One non-public answer refuses the name: a resolver that mixes them is how rebinding attacks are staged.
            throw new OutboundAddressRefusedException();
        }

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
}

/// <summary>The guard refused to connect: the address is not on the public internet and private addresses are not allowed.</summary>
public sealed class OutboundAddressRefusedException : Exception
{
    internal const string Text = "PayTrack does not connect to local or private network addresses.";

    public OutboundAddressRefusedException()
        : base(Text)
    {
    }

    public OutboundAddressRefusedException(string message)
        : base(message)
    {
    }

    public OutboundAddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
