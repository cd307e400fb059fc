using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using PayTrack.KronosSimulator.Data;

namespace PayTrack.KronosSimulator.Site;

internal enum ApiEndpoint
{
    Login,
    Employee,
    Timecard,
}

internal enum FaultKind
{
    Throttle,
    ServerError,
    Hang,
    Drop,
    Malformed,
    HtmlPage,
    ErrorObject,
    MissingField,
}

/// <summary>
/// Decides and plays the site's bad days. Which faults apply: a run-time override for the account, then the configured
/// Simulator:AccountFaults entry, then the account's built-in faults, then the run-time global faults, then Simulator:Faults.
/// </summary>
internal sealed class FaultInjector(IOptions<SimulatorOptions> options, SimulatorStats stats, IHostApplicationLifetime lifetime)
{
    private readonly ConcurrentDictionary<string, FaultOptions> _accountOverrides = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _consecutive = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _retryNotBefore = new(StringComparer.Ordinal);
    private readonly Random _random = new(unchecked((int)options.Value.Seed));
    private readonly Lock _randomLock = new();
    private volatile FaultOptions? _globalOverride;

    public void SetGlobal(FaultOptions? faults) => _globalOverride = faults;

    public void SetAccount(string username, FaultOptions? faults)
    {
        if (faults is null)
        {
            _accountOverrides.TryRemove(username, out _);
        }
        else
        {
            _accountOverrides[username] = faults;
        }
    }

    public void Reset()
    {
        _globalOverride = null;
        _accountOverrides.Clear();
        _consecutive.Clear();
        _retryNotBefore.Clear();
    }

    public FaultOptions For(SimAccount? account, string? username)
    {
        if (username is not null)
        {
            if (_accountOverrides.TryGetValue(username, out var runtime))
            {
                return runtime;
            }

            // The binder may not keep the dictionary's comparer, so usernames are matched here.
            foreach (var (name, configured) in options.Value.AccountFaults)
            {
                if (string.Equals(name, username, StringComparison.OrdinalIgnoreCase))
                {
                    return configured;
                }
            }
        }

        return account?.BuiltInFaults ?? _globalOverride ?? options.Value.Faults;
    }

    public async Task DelayAsync(FaultOptions faults, CancellationToken cancellationToken)
    {
        var delay = faults.LatencyMs + (faults.JitterMs > 0 ? NextInt(faults.JitterMs + 1) : 0);
        if (delay > 0)
        {
            // Latency is real time whatever the simulated clock says.
            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <summary>
    /// The fault this request gets, if any. <paramref name="key"/> names the account and path for the consecutive limit;
    /// <paramref name="range"/> is a timecard request's dates.
    /// </summary>
    public FaultKind? Choose(FaultOptions faults, string key, ApiEndpoint endpoint, (DateOnly Start, DateOnly End)? range = null)
    {
        NoteEarlyRetry(key);
        if (!faults.InjectsFaults || !Covers(faults, endpoint, range))
        {
            return null;
        }

        if (faults.MaxConsecutive > 0 && _consecutive.TryGetValue(key, out var row) && row >= faults.MaxConsecutive)
        {
            _consecutive.TryRemove(key, out _);
            return null;
        }

        var draw = NextDouble();
        FaultKind? chosen = null;
        var cumulative = 0.0;
        foreach (var (kind, share) in Shares(faults, endpoint))
        {
            cumulative += share;
            if (draw < cumulative)
            {
                chosen = kind;
                break;
            }
        }

        if (chosen is null)
        {
            _consecutive.TryRemove(key, out _);
            return null;
        }

        _consecutive.AddOrUpdate(key, 1, static (_, n) => n + 1);
        stats.CountFault(chosen.Value.ToString());
        if (chosen == FaultKind.Throttle)
        {
            _retryNotBefore[key] = Environment.TickCount64 + (faults.RetryAfterSeconds * 1000L);
        }

        return chosen;
    }

    /// <summary>Answers with the fault. <paramref name="body"/> renders the true answer, for faults that send part of it.</summary>
    public async Task PlayAsync(HttpContext context, FaultKind kind, FaultOptions faults, Func<byte[]>? body)
    {
        var response = context.Response;
        switch (kind)
        {
            case FaultKind.Throttle:
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = faults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Responses.JsonAsync(context, StatusCodes.Status429TooManyRequests, """{"error":"too_many_requests"}"""u8.ToArray());
                break;

            case FaultKind.ServerError when NextInt(2) == 0:
                await Responses.JsonAsync(context, StatusCodes.Status500InternalServerError, """{"error":"internal_error"}"""u8.ToArray());
                break;

            case FaultKind.ServerError:
                await Responses.HtmlAsync(context, StatusCodes.Status503ServiceUnavailable, Responses.UnavailablePage);
                break;

            case FaultKind.Hang:
                await HangAsync(context, faults);
                break;

            case FaultKind.Drop when body is null:
                context.Abort();
                break;

            case FaultKind.Drop:
                await DropAsync(context, body());
                break;

            case FaultKind.Malformed:
                await Responses.JsonAsync(context, StatusCodes.Status200OK, Malformed(body?.Invoke() ?? "[]"u8.ToArray()));
                break;

            case FaultKind.HtmlPage:
                await Responses.HtmlAsync(context, StatusCodes.Status200OK, Responses.LoginPage);
                break;

            case FaultKind.ErrorObject:
                await Responses.JsonAsync(context, StatusCodes.Status200OK, Responses.Render(json => Api.WireWriter.WriteError(json, "WFP-00950", "Timecard is locked")));
                break;

            case FaultKind.MissingField:
                await Responses.JsonAsync(context, StatusCodes.Status200OK, WithoutFirstEndReason(body?.Invoke() ?? "[]"u8.ToArray()));
                break;

            default:
                throw new UnreachableException(kind.ToString());
        }
    }

    private async Task HangAsync(HttpContext context, FaultOptions faults)
    {
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping))
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(faults.HangSeconds), linked.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await Responses.HtmlAsync(context, StatusCodes.Status504GatewayTimeout, Responses.UnavailablePage);
    }

    /// <summary>Headers and half the body go out, then the connection is cut.</summary>
    private static async Task DropAsync(HttpContext context, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = Responses.JsonType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        context.Abort();
    }

    /// <summary>The true answer cut off after three fifths, then bytes no JSON parser accepts.</summary>
    private static byte[] Malformed(byte[] body)
    {
        var cut = Math.Max(1, body.Length * 3 / 5);
        var broken = new byte[cut + 5];
        body.AsSpan(0, cut).CopyTo(broken);
        Encoding.ASCII.GetBytes("#!%<>").CopyTo(broken, cut);
        return broken;
    }

    private static byte[] WithoutFirstEndReason(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        var at = text.IndexOf("\"endreason\":", StringComparison.Ordinal);
        if (at < 0)
        {
            return body;
        }

        var valueEnd = text.IndexOf(',', at);
        return Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, at), text.AsSpan(valueEnd + 1)));
    }

    private static bool Covers(FaultOptions faults, ApiEndpoint endpoint, (DateOnly Start, DateOnly End)? range) =>
        faults.OnlyForDay is not { } day || (endpoint == ApiEndpoint.Timecard && range is { } dates && dates.Start <= day && day <= dates.End);

    private static IEnumerable<(FaultKind Kind, double Share)> Shares(FaultOptions faults, ApiEndpoint endpoint)
    {
        yield return (FaultKind.Throttle, faults.ThrottleShare);
        yield return (FaultKind.ServerError, faults.ServerErrorShare);
        yield return (FaultKind.Hang, faults.HangShare);
        yield return (FaultKind.Drop, faults.DropShare);
        if (endpoint != ApiEndpoint.Login)
        {
            yield return (FaultKind.Malformed, faults.MalformedShare);
            yield return (FaultKind.HtmlPage, faults.HtmlPageShare);
        }

        if (endpoint == ApiEndpoint.Timecard)
        {
            yield return (FaultKind.ErrorObject, faults.ErrorObjectShare);
            yield return (FaultKind.MissingField, faults.MissingFieldShare);
        }
    }

    /// <summary>Counts a request that comes back sooner than the Retry-After the site asked for.</summary>
    private void NoteEarlyRetry(string key)
    {
        if (_retryNotBefore.TryRemove(key, out var notBefore) && Environment.TickCount64 < notBefore - 50)
        {
            stats.Count(StatName.EarlyRetries);
        }
    }

    private double NextDouble()
    {
        lock (_randomLock)
        {
            return _random.NextDouble();
        }
    }

    private int NextInt(int maxExclusive)
    {
        lock (_randomLock)
        {
            return _random.Next(maxExclusive);
        }
    }
}
