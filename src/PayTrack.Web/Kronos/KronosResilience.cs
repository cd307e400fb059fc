using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace PayTrack.Web.Kronos;

/// <summary>
/// The one resilience handler of the Kronos client (Microsoft.Extensions.Http.Resilience), one pipeline per site
/// (scheme, host and port): retries with jittered exponential back-off that wait out a site's Retry-After exactly,
/// around a circuit breaker that opens only on sustained failure, around a time limit per attempt.
/// </summary>
internal static partial class KronosResilience
{
    public const string PipelineName = "kronos";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, KronosOptions settings, ILogger logger)
    {
        // Back-off, timeouts and the circuit's clock measure real elapsed time, never the app's TimeProvider, which a
        // test or a demo may have set to a fixed date.
        pipeline.TimeProvider = TimeProvider.System;
        if (settings.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                // The sign-in POST is retried on the same transient failures as the reads (the contract says so); a
                // refused sign-in (401) is never transient, so a wrong password is sent once.
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome, settings.MaxRetryAfter)),
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.RetryMaxDelay,
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    LogRetry(logger, Site(args.Outcome.Result?.RequestMessage), args.AttemptNumber + 1, Describe(args.Outcome), args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            // Throttling is the site pacing us, not failing: it never counts towards opening the circuit.
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests && IsTransient(args.Outcome)),
            FailureRatio = settings.CircuitFailureRatio,
            MinimumThroughput = settings.CircuitMinimumThroughput,
            SamplingDuration = settings.CircuitSamplingDuration,
            BreakDuration = settings.CircuitBreakDuration,
            OnOpened = args =>
            {
                LogCircuitOpened(logger, Site(args.Outcome.Result?.RequestMessage), args.BreakDuration);
                return ValueTask.CompletedTask;
            },
        });
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = settings.AttemptTimeout });
    }

    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>A Retry-After longer than the maximum is not retried: the caller ends the read and records until when to wait.</summary>
    private static bool IsRetryable(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter) =>
        IsTransient(outcome) && !(RetryAfter(outcome.Result) > maxRetryAfter);

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome.Result is { } response
        ? IsTransient(response.StatusCode)
        : outcome.Exception is (HttpRequestException or IOException or TimeoutRejectedException) and var exception && !OutboundGuard.IsRefusal(exception);

    /// <summary>The site's Retry-After (seconds or a date), or null to let the back-off decide.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } delay && delay > TimeSpan.Zero ? delay : null;
    }

    private static string Site(HttpRequestMessage? request) => request?.RequestUri?.GetLeftPart(UriPartial.Authority) ?? "a Kronos site";

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? $"HTTP {(int)response.StatusCode}" : outcome.Exception?.GetType().Name ?? "unknown";

    [LoggerMessage(LogLevel.Warning, "Kronos site {Site}: attempt {Attempt} failed ({Outcome}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, string site, int attempt, string outcome, TimeSpan delay);

    [LoggerMessage(LogLevel.Error, "Kronos site {Site}: circuit opened for {BreakDuration} after sustained failures")]
    private static partial void LogCircuitOpened(ILogger logger, string site, TimeSpan breakDuration);
}
