using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace PayTrack.Web.Kronos;

/// <summary>
/// PayTrack's client of the Kronos campus timecard API (shared/kronos-contract.md): sign in, list the account's jobs,
/// read timecards. Resilience (timeouts, retries, circuit breaker) is in the handler beneath this HttpClient; sessions,
/// chunking and the reading of answers are here. Every method answers a <see cref="KronosResult{T}"/>.
/// </summary>
public sealed partial class KronosClient(HttpClient http, IOptions<KronosOptions> options, TimeProvider time, ILogger<KronosClient> logger)
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    /// <summary>A session for one Kronos account. Keep it for the account's whole sync and dispose it after.</summary>
    public KronosSession OpenSession(KronosConnectionSettings connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(connection));
        }

        return new KronosSession(connection, options.Value.MaxParallelChunks);
    }

    /// <summary>Signs in (again). The data methods sign in by themselves when needed; this checks a connection.</summary>
    public async Task<KronosResult<KronosSignedIn>> SignInAsync(KronosSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var failure = await SignInOnceAsync(session, session.Current.Generation, cancellationToken);
        return failure is null
            ? new KronosResult<KronosSignedIn>(new KronosSignedIn(session.Connection.Username, time.GetUtcNow()))
            : new KronosResult<KronosSignedIn>(failure);
    }

    /// <summary>The account's jobs; an empty list is the <see cref="KronosFailureKind.NoActiveJob"/> failure.</summary>
    public async Task<KronosResult<IReadOnlyList<EmployeeJob>>> GetJobsAsync(KronosSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (response, failure) = await GetDataAsync(session, session.Connection.EmployeeUrl(), cancellationToken);
        if (failure is not null)
        {
            return new KronosResult<IReadOnlyList<EmployeeJob>>(failure);
        }

        using (response)
        {
            var (list, malformed) = await ReadJsonAsync(response!, KronosJsonContext.Default.EmployeeList, "a job list", cancellationToken);
            if (malformed is not null)
            {
                return new KronosResult<IReadOnlyList<EmployeeJob>>(malformed);
            }

            return list!.List is { Count: > 0 } jobs
                ? new KronosResult<IReadOnlyList<EmployeeJob>>(jobs)
                : new KronosResult<IReadOnlyList<EmployeeJob>>(KronosFailure.NoActiveJob());
        }
    }

    /// <summary>One job's timecard for the inclusive range, fetched in chunks.</summary>
    public async Task<KronosResult<KronosTimecard>> GetTimecardAsync(KronosSession session, KronosJobKey job, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        var result = await GetTimecardsAsync(session, [job], start, end, cancellationToken);
        return result.Succeeded ? new KronosResult<KronosTimecard>(result.Value[0]) : new KronosResult<KronosTimecard>(result.Failure);
    }

    /// <summary>
    /// Several jobs' timecards for the inclusive range: the range is cut into chunks of <see cref="KronosOptions.ChunkDays"/>,
    /// fetched with at most <see cref="KronosOptions.MaxParallelChunks"/> in flight for the account, and put back together
    /// (a pay period split by a chunk boundary becomes one period again). The first failure cancels the rest.
    /// </summary>
    public async Task<KronosResult<IReadOnlyList<KronosTimecard>>> GetTimecardsAsync(KronosSession session, IReadOnlyList<KronosJobKey> jobs, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);

        // Sign in once before fanning out, rather than letting every chunk find out it has to.
        if (await EnsureSignedInAsync(session, cancellationToken) is { } signInFailure)
        {
            return new KronosResult<IReadOnlyList<KronosTimecard>>(signInFailure);
        }

        var chunks = jobs
            .SelectMany((job, index) => Chunks(start, end, options.Value.ChunkDays).Select(range => (Index: index, Job: job, range.Start, range.End)))
            .ToList();
        var pieces = new List<TimecardPeriod>?[chunks.Count];
        KronosFailure? firstFailure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = chunks.Select(async (chunk, position) =>
        {
            try
            {
                await session.ChunkGate.WaitAsync(stop.Token);
                try
                {
                    var (periods, failure) = await FetchRangeAsync(session, chunk.Job, chunk.Start, chunk.End, stop.Token);
                    pieces[position] = periods;
                    if (failure is not null && Interlocked.CompareExchange(ref firstFailure, failure, null) is null)
                    {
                        await stop.CancelAsync();
                    }
                }
                finally
                {
                    session.ChunkGate.Release();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Another chunk failed; its failure is the answer.
            }
        });
        await Task.WhenAll(tasks);
        cancellationToken.ThrowIfCancellationRequested();
        if (firstFailure is not null)
        {
            LogFailure(logger, session.Connection.Username, firstFailure.Kind, firstFailure.HttpStatus);
            return new KronosResult<IReadOnlyList<KronosTimecard>>(firstFailure);
        }

        var timecards = jobs
            .Select((job, index) => new KronosTimecard(job, start, end, MergePeriods(chunks.Select((c, i) => (c, i)).Where(x => x.c.Index == index).SelectMany(x => pieces[x.i]!))))
            .ToList();
        return new KronosResult<IReadOnlyList<KronosTimecard>>(timecards);
    }

    internal static IEnumerable<(DateOnly Start, DateOnly End)> Chunks(DateOnly start, DateOnly end, int days)
    {
        for (var from = start; from <= end; from = from.AddDays(days))
        {
            var to = from.AddDays(days - 1);
            yield return (from, to < end ? to : end);
        }
    }

    /// <summary>Chunks in date order; a period cut by a chunk boundary comes back as two adjacent pieces of the same period.</summary>
    internal static List<TimecardPeriod> MergePeriods(IEnumerable<TimecardPeriod> periods)
    {
        var merged = new List<TimecardPeriod>();
        foreach (var period in periods)
        {
            if (merged.Count > 0 && merged[^1] is { PeriodStart: not null } last &&
                last.PeriodStart == period.PeriodStart && last.PeriodEnd == period.PeriodEnd)
            {
                merged[^1] = last with { Days = [.. last.Days, .. period.Days] };
            }
            else
            {
                merged.Add(period);
            }
        }

        return merged;
    }

    private async Task<(List<TimecardPeriod>? Periods, KronosFailure? Failure)> FetchRangeAsync(KronosSession session, KronosJobKey job, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        var url = session.Connection.TimecardUrl(job.EmployeeId, job.PayRuleId, start, end);
        var (response, failure) = await GetDataAsync(session, url, cancellationToken);
        if (failure is { HttpStatus: 413 } && end > start)
        {
            // The site's limit is below our chunk size: halve the range until it is accepted.
            var middle = start.AddDays((end.DayNumber - start.DayNumber) / 2);
            var (first, firstFailure) = await FetchRangeAsync(session, job, start, middle, cancellationToken);
            if (firstFailure is not null)
            {
                return (null, firstFailure);
            }

            var (second, secondFailure) = await FetchRangeAsync(session, job, middle.AddDays(1), end, cancellationToken);
            return secondFailure is not null ? (null, secondFailure) : ([.. first!, .. second!], null);
        }

        if (failure is not null)
        {
            return (null, failure);
        }

        using (response)
        {
            return await ReadTimecardAsync(response!, cancellationToken);
        }
    }

    private static async Task<(List<TimecardPeriod>? Periods, KronosFailure? Failure)> ReadTimecardAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await SeekableBodyAsync(response, cancellationToken);
        await using (stream)
        {
            // A 200 can carry {"error": ...} instead of the array: a failure, never an empty timecard.
            if (FirstSignificantByte(stream) == '{')
            {
                stream.Position = 0;
                try
                {
                    var envelope = await JsonSerializer.DeserializeAsync(stream, KronosJsonContext.Default.KronosErrorEnvelope, cancellationToken);
                    return envelope?.Error is { } error
                        ? (null, KronosFailure.TimecardError(error))
                        : (null, KronosFailure.Malformed("a timecard", "$", "an object where a list of pay periods belongs"));
                }
                catch (JsonException exception)
                {
                    return (null, KronosFailure.Malformed("a timecard", exception));
                }
            }

            stream.Position = 0;
            var (periods, malformed) = await DeserializeAsync(stream, KronosJsonContext.Default.IReadOnlyListTimecardPeriod, "a timecard", cancellationToken);
            return malformed is not null ? (null, malformed) : ([.. periods!], null);
        }
    }

    /// <summary>
    /// GET with the session's cookie. When the site answers as if signed out (401, a redirect, or an HTML page where
    /// JSON belongs), it signs in again once and repeats the request once.
    /// </summary>
    private async Task<(HttpResponseMessage? Response, KronosFailure? Failure)> GetDataAsync(KronosSession session, Uri url, CancellationToken cancellationToken)
    {
        if (await EnsureSignedInAsync(session, cancellationToken) is { } signInFailure)
        {
            return (null, signInFailure);
        }

        for (var pass = 0; ; pass++)
        {
            var (cookie, generation) = session.Current;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(Json);
            if (cookie is not null)
            {
                request.Headers.TryAddWithoutValidation("Cookie", session.Connection.CookieName + "=" + cookie);
            }

            var (response, failure) = await SendAsync(request, cancellationToken);
            if (failure is not null)
            {
                return (null, failure);
            }

            if (!LooksSignedOut(response!))
            {
                return response!.IsSuccessStatusCode ? (response, null) : (null, FailureOf(response));
            }

            response!.Dispose();
            if (pass > 0)
            {
                return (null, KronosFailure.SessionRejected());
            }

            if (await SignInOnceAsync(session, generation, cancellationToken) is { } again)
            {
                return (null, again);
            }
        }
    }

    private Task<KronosFailure?> EnsureSignedInAsync(KronosSession session, CancellationToken cancellationToken)
    {
        if (session.PermanentFailure is { } permanent)
        {
            return Task.FromResult<KronosFailure?>(permanent);
        }

        var (cookie, generation) = session.Current;
        return cookie is not null ? Task.FromResult<KronosFailure?>(null) : SignInOnceAsync(session, generation, cancellationToken);
    }

    /// <summary>
    /// Signs in unless another request already did since <paramref name="seenGeneration"/>; then its outcome is shared,
    /// so parallel chunks that all find the session expired cause one sign-in, and a wrong password is sent once.
    /// </summary>
    private async Task<KronosFailure?> SignInOnceAsync(KronosSession session, int seenGeneration, CancellationToken cancellationToken)
    {
        await session.SignInGate.WaitAsync(cancellationToken);
        try
        {
            if (session.PermanentFailure is { } permanent)
            {
                return permanent;
            }

            if (session.Current.Generation != seenGeneration)
            {
                return session.LastSignInFailure;
            }

            var connection = session.Connection;
            using var request = new HttpRequestMessage(HttpMethod.Post, connection.LoginUrl())
            {
                Content = new FormUrlEncodedContent([new("username", connection.Username), new("password", connection.Password)]),
            };
            request.Headers.Accept.Add(Json);
            var (response, failure) = await SendAsync(request, cancellationToken);
            using (response)
            {
                failure ??= SignInOutcome(response!, connection.CookieName, out var cookie) ?? Remember(session, cookie!);
            }

            if (failure is not null)
            {
                session.SignInFailed(failure);
                LogSignInFailure(logger, connection.Username, failure.Kind);
            }

            return failure;
        }
        finally
        {
            session.SignInGate.Release();
        }
    }

    private static KronosFailure? Remember(KronosSession session, string cookie)
    {
        session.SignedIn(cookie);
        return null;
    }

    private static KronosFailure? SignInOutcome(HttpResponseMessage response, string cookieName, out string? cookie)
    {
        cookie = null;
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return KronosFailure.InvalidCredentials();
        }

        if (status is >= 300 and < 400 || (response.IsSuccessStatusCode && IsHtml(response)))
        {
            return KronosFailure.SingleSignOn(status);
        }

        if (!response.IsSuccessStatusCode)
        {
            return FailureOf(response);
        }

        cookie = SessionCookie(response, cookieName);
        return cookie is null
            ? KronosFailure.Malformed("a sign-in answer", "Set-Cookie", $"it has no '{cookieName}' session cookie (check the connection's cookie name)")
            : null;
    }

    internal static string? SessionCookie(HttpResponseMessage response, string cookieName)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var headers))
        {
            return null;
        }

        foreach (var header in headers)
        {
            var pair = header.AsSpan();
            var end = pair.IndexOf(';');
            if (end >= 0)
            {
                pair = pair[..end];
            }

            var equals = pair.IndexOf('=');
            if (equals > 0 && pair[..equals].Trim().SequenceEqual(cookieName) && pair[(equals + 1)..].Trim() is { Length: > 0 } value)
            {
                return value.ToString();
            }
        }

        return null;
    }

    private static bool LooksSignedOut(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Unauthorized ||
        (int)response.StatusCode is >= 300 and < 400 ||
        (response.IsSuccessStatusCode && IsHtml(response));

    private static bool IsHtml(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } type &&
        (type.Equals("text/html", StringComparison.OrdinalIgnoreCase) || type.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase));

    private static KronosFailure FailureOf(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        return KronosResiliencePipelines.IsTransient(response.StatusCode)
            ? KronosFailure.Transient($"HTTP {status}", status, KronosResiliencePipelines.RetryAfter(response, TimeSpan.MaxValue))
            : KronosFailure.Rejected(status);
    }

    /// <summary>Sends through the resilience pipeline and turns what is left of a failure after it into a result.</summary>
    private async Task<(HttpResponseMessage? Response, KronosFailure? Failure)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return (await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken), null);
        }
        catch (BrokenCircuitException exception)
        {
            return (null, KronosFailure.CircuitOpen(exception.RetryAfter));
        }
        catch (TimeoutRejectedException)
        {
            return (null, KronosFailure.Transient("no answer in time"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, KronosFailure.Transient("no answer in time"));
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            return (null, KronosFailure.Transient("the connection failed"));
        }
    }

    private static async Task<(T? Value, KronosFailure? Failure)> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using (stream)
        {
            return await DeserializeAsync(stream, type, what, cancellationToken);
        }
    }

    private static async Task<(T? Value, KronosFailure? Failure)> DeserializeAsync<T>(Stream stream, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync(stream, type, cancellationToken);
            return value is null ? (default, KronosFailure.Malformed(what, "$", "it is null")) : (value, null);
        }
        catch (JsonException exception)
        {
            return (default, KronosFailure.Malformed(what, exception));
        }
    }

    /// <summary>The buffered body (see <see cref="KronosResilienceHandler"/>) as a stream that can be rewound after a peek.</summary>
    private static async Task<Stream> SeekableBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (stream.CanSeek)
        {
            return stream;
        }

        var copy = new MemoryStream();
        await using (stream)
        {
            await stream.CopyToAsync(copy, cancellationToken);
        }

        copy.Position = 0;
        return copy;
    }

    private static int FirstSignificantByte(Stream stream)
    {
        int next;
        do
        {
            next = stream.ReadByte();
        }
        while (next is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF);

        return next;
    }

    [LoggerMessage(LogLevel.Warning, "Kronos sign-in for {Username} failed: {Kind}")]
    private static partial void LogSignInFailure(ILogger logger, string username, KronosFailureKind kind);

    [LoggerMessage(LogLevel.Warning, "Kronos timecard for {Username} failed: {Kind} (HTTP {Status})")]
    private static partial void LogFailure(ILogger logger, string username, KronosFailureKind kind, int? status);
}
