using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace PayTrack.Web.Kronos;

/// <summary>
/// PayTrack's client of the Kronos campus timecard API (docs/kronos-contract.md): sign in, list the account's jobs, read
/// timecards. Requests go through <see cref="IKronosApi"/> (Refit, source-generated) on the named HttpClient whose
/// resilience handler retries, paces and breaks per site; sessions, chunking, repeated reads of a failed chunk and the
/// reading of answers are here. Every method answers a <see cref="KronosResult{T}"/>.
/// </summary>
public sealed partial class KronosClient(
    IHttpClientFactory httpClients,
    KronosWaits waits,
    IOptions<KronosOptions> options,
    TimeProvider time,
    ILogger<KronosClient> logger)
{
    /// <summary>The named HttpClient of every Kronos request (AddKronosClient).</summary>
    public const string HttpClientName = "Kronos";

    private static readonly RefitSettings Refit = CreateRefitSettings();

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
        var failure = await SignInOnceAsync(session, Api(session), session.Current.Generation, cancellationToken);
        return failure is null
            ? new KronosResult<KronosSignedIn>(new KronosSignedIn(session.Connection.Username, time.GetUtcNow()))
            : new KronosResult<KronosSignedIn>(failure);
    }

    /// <summary>The account's jobs; an empty list is the <see cref="KronosFailureKind.NoActiveJob"/> failure.</summary>
    public async Task<KronosResult<IReadOnlyList<EmployeeJob>>> GetJobsAsync(KronosSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var api = Api(session);
        var (jobs, failure) = await ReadAgainAsync(session, token => ReadJobsAsync(session, api, token), cancellationToken);
        return failure is null ? new KronosResult<IReadOnlyList<EmployeeJob>>(jobs!) : new KronosResult<IReadOnlyList<EmployeeJob>>(failure);
    }

    private async Task<(IReadOnlyList<EmployeeJob>? Jobs, KronosFailure? Failure)> ReadJobsAsync(KronosSession session, IKronosApi api, CancellationToken cancellationToken)
    {
        var (response, failure) = await GetDataAsync(session, api, token => api.GetEmployeeAsync(session.Connection.Username, session, token), cancellationToken);
        if (failure is not null)
        {
            return (null, failure);
        }

        using (response)
        {
            var (list, malformed) = await ReadJsonAsync(response!, KronosJsonContext.Default.EmployeeList, "a job list", cancellationToken);
            if (malformed is not null)
            {
                return (null, malformed);
            }

            return list!.List is { Count: > 0 } jobs ? (jobs, null) : (null, KronosFailure.NoActiveJob());
        }
    }

    /// <summary>
    /// One job's timecard for the inclusive range: the chunk-level read of a catchup. A chunk that fails for now (the site
    /// failing through every retry, an unreadable or error answer) is read again with back-off, up to
    /// <see cref="KronosOptions.ChunkAttempts"/> reads; the failure then names the dates and why, in plain words
    /// (<see cref="KronosFailure.Range"/>). A site that asks to wait longer than <see cref="KronosOptions.MaxRetryAfter"/>
    /// ends it at once with <see cref="KronosFailureKind.AskedToWait"/>.
    /// </summary>
    public async Task<KronosResult<JobTimecard>> GetTimecardAsync(KronosSession session, KronosJobKey job, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        var result = await GetTimecardsAsync(session, [job], start, end, cancellationToken);
        return result.Succeeded ? new KronosResult<JobTimecard>(result.Value[0]) : new KronosResult<JobTimecard>(result.Failure);
    }

    /// <summary>
    /// Several jobs' timecards for the inclusive range: the range is cut into chunks of <see cref="KronosOptions.ChunkDays"/>,
    /// fetched with at most <see cref="KronosOptions.MaxParallelChunks"/> in flight for the account, each read again with
    /// back-off when it fails for now, and put back together (a pay period split by a chunk boundary becomes one period
    /// again). A chunk that still fails cancels the rest; its failure names its dates.
    /// </summary>
    public async Task<KronosResult<IReadOnlyList<JobTimecard>>> GetTimecardsAsync(KronosSession session, IReadOnlyList<KronosJobKey> jobs, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        var api = Api(session);

        // Sign in once before fanning out, rather than letting every chunk find out it has to.
        if (await EnsureSignedInAsync(session, api, cancellationToken) is { } signInFailure)
        {
            return new KronosResult<IReadOnlyList<JobTimecard>>(signInFailure);
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
                    var (periods, failure) = await FetchChunkAsync(session, api, chunk.Job, chunk.Start, chunk.End, stop.Token);
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
            LogFailure(logger, session.Connection.Username, firstFailure.Kind, firstFailure.HttpStatus, firstFailure.Where);
            return new KronosResult<IReadOnlyList<JobTimecard>>(firstFailure);
        }

        var timecards = jobs
            .Select((job, index) => new JobTimecard
            {
                EmployeeId = job.EmployeeId,
                PayRuleId = job.PayRuleId,
                Periods = MergePeriods(chunks.Select((c, i) => (c, i)).Where(x => x.c.Index == index).SelectMany(x => pieces[x.i]!)),
            })
            .ToList();
        return new KronosResult<IReadOnlyList<JobTimecard>>(timecards);
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

    /// <summary>One chunk, read again with back-off while its failure is one that reading again can fix; a failure names its dates.</summary>
    private async Task<(List<TimecardPeriod>? Periods, KronosFailure? Failure)> FetchChunkAsync(KronosSession session, IKronosApi api, KronosJobKey job, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        var reads = 0;
        var (periods, failure) = await ReadAgainAsync(
            session,
            token =>
            {
                reads++;
                return FetchRangeAsync(session, api, job, start, end, token);
            },
            cancellationToken);
        return failure is null ? (periods, null) : (null, failure.ForRange(start, end, reads));
    }

    /// <summary>
    /// Reads up to <see cref="KronosOptions.ChunkAttempts"/> times while the failure is one reading again can fix (the
    /// site failing through every retry, an unreadable or error answer), with a back-off that doubles.
    /// </summary>
    private async Task<(T? Value, KronosFailure? Failure)> ReadAgainAsync<T>(KronosSession session, Func<CancellationToken, Task<(T? Value, KronosFailure? Failure)>> read, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            var (value, failure) = await read(cancellationToken);
            if (failure is null || !failure.IsWorthAnotherRead || attempt >= settings.ChunkAttempts)
            {
                return (value, failure);
            }

            var delay = settings.ChunkRetryDelay * Math.Pow(2, attempt - 1) * (0.8 + (0.4 * Random.Shared.NextDouble()));
            if (failure.RetryAfter is { } asked && asked > delay && asked <= settings.MaxRetryAfter)
            {
                delay = asked;
            }

            LogReadAgain(logger, session.Connection.Username, failure.Kind, delay);
            // Real elapsed time, like the resilience handler's back-off: the app's clock may stand still in a demo.
            await Task.Delay(delay, TimeProvider.System, cancellationToken);
        }
    }

    private async Task<(List<TimecardPeriod>? Periods, KronosFailure? Failure)> FetchRangeAsync(KronosSession session, IKronosApi api, KronosJobKey job, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        var (response, failure) = await GetDataAsync(session, api, token => api.GetTimecardAsync(job.EmployeeId, job.PayRuleId, start, end, session, token), cancellationToken);
        if (failure is { HttpStatus: 413 } && end > start)
        {
            // The site's limit is below our chunk size: halve the range until it is accepted.
            var middle = start.AddDays((end.DayNumber - start.DayNumber) / 2);
            var (first, firstFailure) = await FetchRangeAsync(session, api, job, start, middle, cancellationToken);
            if (firstFailure is not null)
            {
                return (null, firstFailure);
            }

            var (second, secondFailure) = await FetchRangeAsync(session, api, job, middle.AddDays(1), end, cancellationToken);
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
    /// A data request with the session's cookies. When the site answers as if signed out (401, a redirect, or an HTML
    /// page where JSON belongs), it signs in again once and repeats the request once.
    /// </summary>
    private async Task<(HttpResponseMessage? Response, KronosFailure? Failure)> GetDataAsync(KronosSession session, IKronosApi api, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        if (await EnsureSignedInAsync(session, api, cancellationToken) is { } signInFailure)
        {
            return (null, signInFailure);
        }

        for (var pass = 0; ; pass++)
        {
            var generation = session.Current.Generation;
            var (response, failure) = await SendAsync(session, send, cancellationToken);
            if (failure is not null)
            {
                return (null, failure);
            }

            if (!LooksSignedOut(response!))
            {
                return response!.IsSuccessStatusCode ? (response, null) : (null, FailureOf(session, response));
            }

            response!.Dispose();
            if (pass > 0)
            {
                return (null, KronosFailure.SessionRejected());
            }

            if (await SignInOnceAsync(session, api, generation, cancellationToken) is { } again)
            {
                return (null, again);
            }
        }
    }

    private Task<KronosFailure?> EnsureSignedInAsync(KronosSession session, IKronosApi api, CancellationToken cancellationToken)
    {
        if (Blocked(session) is { } blocked)
        {
            return Task.FromResult<KronosFailure?>(blocked);
        }

        var (signedIn, generation) = session.Current;
        return signedIn ? Task.FromResult<KronosFailure?>(null) : SignInOnceAsync(session, api, generation, cancellationToken);
    }

    /// <summary>
    /// Signs in unless another request already did since <paramref name="seenGeneration"/>; then its outcome is shared,
    /// so parallel chunks that all find the session expired cause one sign-in, and a wrong password is sent once.
    /// </summary>
    private async Task<KronosFailure?> SignInOnceAsync(KronosSession session, IKronosApi api, int seenGeneration, CancellationToken cancellationToken)
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
            var form = new Dictionary<string, string>(StringComparer.Ordinal) { ["username"] = connection.Username, ["password"] = connection.Password };
            var (response, failure) = await SendAsync(session, token => api.SignInAsync(form, session, token), cancellationToken);
            using (response)
            {
                failure ??= SignInOutcome(session, response!);
            }

            if (failure is null)
            {
                session.SignedIn();
                return null;
            }

            session.SignInFailed(failure);
            LogSignInFailure(logger, connection.Username, failure.Kind);
            return failure;
        }
        finally
        {
            session.SignInGate.Release();
        }
    }

    private KronosFailure? SignInOutcome(KronosSession session, HttpResponseMessage response)
    {
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
            return FailureOf(session, response);
        }

        var cookieName = session.Connection.CookieName;
        return session.HasSessionCookie(response.RequestMessage?.RequestUri ?? session.BaseAddress)
            ? null
            : KronosFailure.Malformed("a sign-in answer", "Set-Cookie", $"it has no '{cookieName}' session cookie (check the connection's cookie name)");
    }

    private static bool LooksSignedOut(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Unauthorized ||
        (int)response.StatusCode is >= 300 and < 400 ||
        (response.IsSuccessStatusCode && IsHtml(response));

    private static bool IsHtml(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } type &&
        (type.Equals("text/html", StringComparison.OrdinalIgnoreCase) || type.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase));

    private KronosFailure FailureOf(KronosSession session, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (!KronosResilience.IsTransient(response.StatusCode))
        {
            return KronosFailure.Rejected(status);
        }

        var retryAfter = KronosResilience.RetryAfter(response);
        if (retryAfter > options.Value.MaxRetryAfter)
        {
            var now = time.GetUtcNow();
            var wait = KronosFailure.AskedToWait(now + retryAfter.Value, session.Connection.TimeZone, now);
            session.Wait(wait);
            waits.Record(session.Connection, wait);
            LogAskedToWait(logger, session.Connection.Username, retryAfter.Value);
            return wait;
        }

        return KronosFailure.Transient($"HTTP {status}", status, retryAfter);
    }

    /// <summary>Why nothing may be sent for this session now (a refused password, a site's request to wait), or null.</summary>
    private KronosFailure? Blocked(KronosSession session)
    {
        if (session.PermanentFailure is { } permanent)
        {
            return permanent;
        }

        var now = time.GetUtcNow();
        if (session.Waiting is { } waiting && waiting.RetryAt > now)
        {
            return waiting;
        }

        return waits.For(session.Connection);
    }

    /// <summary>Sends through the resilience handler and turns what is left of a failure after it into a result.</summary>
    private async Task<(HttpResponseMessage? Response, KronosFailure? Failure)> SendAsync(KronosSession session, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        if (Blocked(session) is { } blocked)
        {
            return (null, blocked);
        }

        try
        {
            return (await send(cancellationToken), null);
        }
        catch (Exception exception) when (FailureOf(exception, cancellationToken) is { } failure)
        {
            return (null, failure);
        }
    }

    /// <summary>What is left of a failure after the resilience handler, as a result; null for cancellation and bugs.</summary>
    private static KronosFailure? FailureOf(Exception exception, CancellationToken cancellationToken)
    {
        // Refit reports a failed send as an ApiRequestException around what the handlers threw.
        while (exception is ApiRequestException { InnerException: { } inner })
        {
            exception = inner;
        }

        return exception switch
        {
            _ when OutboundGuard.IsRefusal(exception) => KronosFailure.AddressRefused(),
            BrokenCircuitException broken => KronosFailure.CircuitOpen(broken.RetryAfter),
            TimeoutRejectedException => KronosFailure.Transient("no answer in time"),
            OperationCanceledException when !cancellationToken.IsCancellationRequested => KronosFailure.Transient("no answer in time"),
            HttpRequestException or IOException => KronosFailure.Transient("the connection failed"),
            _ => null,
        };
    }

    /// <summary>A Refit client on a pooled handler chain, for one operation of one session (so handler rotation applies).</summary>
    private IKronosApi Api(KronosSession session)
    {
        var http = httpClients.CreateClient(HttpClientName);
        http.BaseAddress = session.BaseAddress;
        return RestService.ForGenerated<IKronosApi>(http, Refit);
    }

    private static RefitSettings CreateRefitSettings()
    {
        var settings = RefitSettings.ForJsonContext(KronosJsonContext.Default);
        settings.UrlParameterFormatter = new KronosUrlFormatter();
        return settings;
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

    /// <summary>The buffered body (see <see cref="KronosSessionHandler"/>) as a stream that can be rewound after a peek.</summary>
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

    [LoggerMessage(LogLevel.Warning, "Kronos timecard for {Username} failed: {Kind} (HTTP {Status}; where the answer broke: {Where})")]
    private static partial void LogFailure(ILogger logger, string username, KronosFailureKind kind, int? status, string? where);

    [LoggerMessage(LogLevel.Warning, "Kronos read for {Username} failed ({Kind}); reading it again in {Delay}")]
    private static partial void LogReadAgain(ILogger logger, string username, KronosFailureKind kind, TimeSpan delay);

    [LoggerMessage(LogLevel.Warning, "Kronos asked PayTrack to wait {Wait} before sending more for {Username}")]
    private static partial void LogAskedToWait(ILogger logger, string username, TimeSpan wait);
}
