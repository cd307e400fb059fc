using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PayTrack.Web.Data;

namespace PayTrack.Web.Live;

/// <summary>
/// Bounds the open live connections (Blazor's <c>/_blazor</c> connections: one per open interactive page) per user and
/// per process. A connection counts while its request is open (a WebSocket, or one long
/// poll); one over a bound is answered 429 before it holds anything, and its page stays as it was first rendered.
/// </summary>
public sealed partial class LiveConnectionLimits(IOptions<LiveOptions> options, ILogger<LiveConnectionLimits> logger)
{
    public const string HubPath = "/_blazor";

    private readonly ConcurrentDictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private int _total;

    public int Open => Volatile.Read(ref _total);

    public int OpenFor(string key) => _perUser.TryGetValue(key, out var count) ? count : 0;

    public static string KeyOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CurrentUser.IdOrNull(context.User) is { } userId
            ? "user:" + userId
            : "address:" + context.Connection.RemoteIpAddress;
    }

    internal async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // A connection is a GET of the hub itself (a WebSocket, a stream or a poll); the negotiation, the initializers
        // and the messages a client POSTs are short requests that hold nothing.
        if (!HttpMethods.IsGet(context.Request.Method)
            || !string.Equals(context.Request.Path.Value?.TrimEnd('/'), HubPath, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var key = KeyOf(context);
        if (!TryEnter(key))
        {
            LogRefused(logger, key.StartsWith("user:", StringComparison.Ordinal) ? "one account" : "one address", Open);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await context.Response.WriteAsync("Too many open PayTrack pages. Close some and reload this one.", context.RequestAborted);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            Leave(key);
        }
    }

    internal bool TryEnter(string key)
    {
        var settings = options.Value;
        if (Interlocked.Increment(ref _total) > settings.MaxConnectionsPerProcess)
        {
            Interlocked.Decrement(ref _total);
            return false;
        }

        var perUser = _perUser.AddOrUpdate(key, 1, static (_, count) => count + 1);
        if (perUser > settings.MaxConnectionsPerUser)
        {
            Leave(key);
            return false;
        }

        return true;
    }

    internal void Leave(string key)
    {
        Interlocked.Decrement(ref _total);
        if (_perUser.AddOrUpdate(key, 0, static (_, count) => count - 1) <= 0)
        {
            _perUser.TryRemove(new KeyValuePair<string, int>(key, 0));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live pages: refused a connection over the bound for {Whom} ({Open} open on this node)")]
    private static partial void LogRefused(ILogger logger, string whom, int open);
}
