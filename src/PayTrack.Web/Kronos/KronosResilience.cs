using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace PayTrack.Web.Kronos;

/// <summary>
/// One Polly pipeline per Kronos site (scheme, host and port): retry with back-off, jitter and Retry-After, around a
/// circuit breaker, around a timeout per attempt. The circuit is per site so that one employer's outage never pauses
/// another's, and it lives here (a singleton), not in the handlers that IHttpClientFactory recycles.
/// </summary>
internal sealed partial class KronosResiliencePipelines(IOptions<KronosOptions> options, ILogger<KronosResiliencePipelines> logger)
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _sites = new(StringComparer.OrdinalIgnoreCase);

    public ResiliencePipeline<HttpResponseMessage> For(Uri url) => _sites.GetOrAdd(url.GetLeftPart(UriPartial.Authority), Build);

    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static bool IsTransient(Exception? exception) =>
        exception is HttpRequestException or IOException or TimeoutRejectedException;

    private ResiliencePipeline<HttpResponseMessage> Build(string site)
    {
        var settings = options.Value;
        // Timeouts, back-off and the circuit's clock measure real elapsed time, never the app's TimeProvider, which a
        // test or a demo may have set to a fixed date.
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = TimeProvider.System };
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                // A 401 is never here: a wrong password must not be tried twice.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } response ? IsTransient(response.StatusCode) : IsTransient(args.Outcome.Exception)),
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.RetryMaxDelay,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, settings.MaxRetryAfter)),
                OnRetry = args =>
                {
                    LogRetry(logger, site, args.AttemptNumber + 1, Describe(args.Outcome), args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            // Throttling is the site pacing us, not the site failing: it does not count towards opening the circuit.
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } response
                ? response.StatusCode != HttpStatusCode.TooManyRequests && IsTransient(response.StatusCode)
                : IsTransient(args.Outcome.Exception)),
            FailureRatio = settings.CircuitFailureRatio,
            MinimumThroughput = settings.CircuitMinimumThroughput,
            SamplingDuration = settings.CircuitSamplingDuration,
            BreakDuration = settings.CircuitBreakDuration,
            OnOpened = args =>
            {
                LogCircuitOpened(logger, site, args.BreakDuration);
                return ValueTask.CompletedTask;
            },
        });
        builder.AddTimeout(settings.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>The site's Retry-After (seconds or a date), capped; null lets the exponential back-off decide.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is not { } delay || delay <= TimeSpan.Zero)
        {
            return null;
        }

        return delay > max ? max : delay;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? $"HTTP {(int)response.StatusCode}" : outcome.Exception?.GetType().Name ?? "unknown";

    [LoggerMessage(LogLevel.Warning, "Kronos site {Site}: attempt {Attempt} failed ({Outcome}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, string site, int attempt, string outcome, TimeSpan delay);

    [LoggerMessage(LogLevel.Error, "Kronos site {Site}: circuit opened for {BreakDuration} after repeated failures")]
    private static partial void LogCircuitOpened(ILogger logger, string site, TimeSpan breakDuration);
}

/// <summary>
/// Runs each request through its site's pipeline. An HttpRequestMessage cannot be sent twice, so every attempt sends a
/// fresh copy; and the answer's body is read inside the attempt, so a body that stalls or is cut off mid-way is a failed
/// attempt (timed out and retried) rather than an error after the pipeline has finished.
/// </summary>
internal sealed class KronosResilienceHandler(KronosResiliencePipelines pipelines, IOptions<KronosOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var template = await RequestTemplate.CaptureAsync(request, cancellationToken);
        var pipeline = pipelines.For(template.Url);
        return await pipeline.ExecuteAsync(
            static (state, token) => state.Handler.SendAttemptAsync(state.Template, token),
            (Handler: this, Template: template),
            cancellationToken);
    }

    private async ValueTask<HttpResponseMessage> SendAttemptAsync(RequestTemplate template, CancellationToken cancellationToken)
    {
        using var attempt = template.Create();
        var response = await base.SendAsync(attempt, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(options.Value.MaxResponseBytes, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private sealed class RequestTemplate
    {
        private readonly HttpRequestMessage _original;
        private readonly byte[]? _content;

        private RequestTemplate(HttpRequestMessage original, byte[]? content)
        {
            _original = original;
            _content = content;
        }

        public Uri Url => _original.RequestUri ?? throw new InvalidOperationException("A Kronos request needs an absolute URL.");

        public static async Task<RequestTemplate> CaptureAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            new(request, request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken));

        public HttpRequestMessage Create()
        {
            var copy = new HttpRequestMessage(_original.Method, Url)
            {
                Version = _original.Version,
                VersionPolicy = _original.VersionPolicy,
            };
            foreach (var (name, values) in _original.Headers)
            {
                copy.Headers.TryAddWithoutValidation(name, values);
            }

            if (_content is not null)
            {
                copy.Content = new ByteArrayContent(_content);
                foreach (var (name, values) in _original.Content!.Headers)
                {
                    copy.Content.Headers.TryAddWithoutValidation(name, values);
                }
            }

            return copy;
        }
    }
}
