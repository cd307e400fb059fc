using System.ComponentModel;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Options;
using PayTrack.Web.Data;

namespace PayTrack.Web.Sync;

/// <summary>Thrown to hand a run to Hangfire's automatic retry: Kronos failed for now, after the client's own retries.</summary>
public sealed class RetryLaterException(string message) : Exception(message);

/// <summary>
/// The catchup as a Hangfire job, thin: the user is its argument, <see cref="CatchupService"/> does the work. Its
/// progress goes to PayTrack's pages and to the job's own page on the Hangfire Dashboard (a job parameter).
/// </summary>
public sealed class CatchupJob(CatchupService catchups, SyncRequests requests, IOptions<SyncOptions> options)
{
    public const string ProgressParameter = "progress";

    /// <summary>Runs the user's waiting catchup (queued by a request); nothing when none waits.</summary>
    [DisplayName("catchup {0}")]
    public Task RunAsync(string userId, PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(userId, startIfNone: false, SyncTrigger.User, context, cancellationToken);

    /// <summary>"Trigger now" on the user's recurring entry: runs the waiting catchup, or starts one.</summary>
    [DisplayName("catchup {0} (Trigger now)")]
    public Task TriggerAsync(string userId, PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(userId, startIfNone: true, SyncTrigger.Dashboard, context, cancellationToken);

    private async Task RunAsync(string userId, bool startIfNone, SyncTrigger trigger, PerformContext? context, CancellationToken cancellationToken)
    {
        var retries = context?.GetJobParameter<int>("RetryCount") ?? 0;
        var result = await catchups.RunAsync(userId, startIfNone, trigger, canRetry: retries < options.Value.Retries, snapshot =>
        {
            context?.SetJobParameter(ProgressParameter, SyncText.Progress(SyncEvent.From(snapshot)));
            return Task.CompletedTask;
        }, cancellationToken);
        context?.SetJobParameter("outcome", result.Outcome.ToString());
        if (result is { Outcome: CatchupOutcome.WaitUntil, RetryAt: { } at })
        {
            // Not a failed attempt: the run goes on when Kronos said, from its last stored chunk.
            requests.ScheduleCatchup(userId, at);
            return;
        }

        if (result.Outcome == CatchupOutcome.RetryLater)
        {
            throw new RetryLaterException(result.Error ?? "Kronos is failing for now.");
        }
    }
}
