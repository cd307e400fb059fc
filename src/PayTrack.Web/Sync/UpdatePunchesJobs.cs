using System.ComponentModel;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Sync;

/// <summary>
/// update-punches as Hangfire jobs, thin: the recurring sweep records one update per user and enqueues a job for each,
/// which every node's workers take; each user's job runs <see cref="UpdatePunchesService"/>. One user's failure never
/// stops the others: it is that user's job and that user's run.
/// </summary>
public sealed partial class UpdatePunchesJobs(
    UpdatePunchesService updates,
    SyncRuns runs,
    SyncEvents events,
    SyncRequests requests,
    IOptions<SyncOptions> options,
    TimeProvider clock,
    ILogger<UpdatePunchesJobs> logger)
{
    /// <summary>The recurring job's id; stored by Hangfire and shared by every node and release, so it never changes.</summary>
    public const string RecurringId = "update-punches";

    /// <summary>
    /// The longest wait Kronos may ask for that a user's update waits out; a longer one ends the run with Kronos's words,
    /// and the next daily update asks again.
    /// </summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    /// <summary>The daily run (or "Run now"): one update per user with a usable connection. Returns the sweep's run.</summary>
    [DisplayName("update-punches: every user")]
    public async Task<long> SweepAsync(SyncTrigger trigger, string? requestedBy, CancellationToken cancellationToken)
    {
        var (sweepId, queued) = await updates.StartSweepAsync(trigger, requestedBy, cancellationToken);
        foreach (var runId in queued)
        {
            requests.EnqueueUpdate(runId);
        }

        await runs.DeleteOldAsync(cancellationToken);
        return sweepId;
    }

    /// <summary>One user's update, recorded as <paramref name="runId"/>.</summary>
    [DisplayName("update-punches: run {0}")]
    public async Task UserAsync(long runId, PerformContext? context, CancellationToken cancellationToken)
    {
        var claim = await runs.StartUpdateAsync(runId, cancellationToken);
        if (claim is null)
        {
            return;
        }

        // Read only when a retry is in question: the job's retry count is a round trip to Hangfire's storage.
        bool CanRetry() => (context?.GetJobParameter<int>("RetryCount") ?? 0) < options.Value.Retries;
        try
        {
            var fetched = await updates.FetchAsync(claim, cancellationToken);
            if (fetched.Failure is { Kind: KronosFailureKind.AskedToWait, RetryAt: { } at })
            {
                if (at - clock.GetUtcNow() <= LongestWait)
                {
                    // Not a failed attempt: the run waits, saying until when, and this user's job runs again then;
                    // nothing is sent to the account before. The sweep stays open until this user's update ends.
                    await runs.WaitAsync(runId, fetched.Error, cancellationToken);
                    requests.ScheduleUpdate(runId, at);
                    return;
                }
            }
            else if (UpdatePunchesService.IsTransient(fetched) && CanRetry())
            {
                await runs.WaitAsync(runId, "Waiting to try again: " + fetched.Error, cancellationToken);
                throw new RetryLaterException(fetched.Error ?? "Kronos is failing for now.");
            }

            await updates.StoreAsync(claim, fetched, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: Hangfire hands the job to another node (or this one after its restart).
            await runs.WaitAsync(runId, null, CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (ex is not RetryLaterException and not OperationCanceledException)
        {
            LogUserFailed(logger, ex, runId);
            if (CanRetry())
            {
                await runs.WaitAsync(runId, "Waiting to try again after an unexpected error.", CancellationToken.None);
                throw;
            }

            await runs.FinishUpdateAsync(runId, SyncStatus.Failed, RunCounts.None, null, null,
                "PayTrack hit an unexpected error while updating this account; the details are in the server log.", null, CancellationToken.None);
        }

        await CloseSweepAsync(claim.SweepId);
        if (claim.SweepId is null && await runs.SnapshotAsync(runId, CancellationToken.None) is { } own)
        {
            // "Sync now": the user's open pages drop their "syncing" line whatever the run found.
            await events.FinishedAsync(own, dataChanged: false, toUser: true);
        }
    }

    /// <summary>The last user of a sweep to end closes it (each asks after its own end, so one of the last always sees it).</summary>
    private async Task CloseSweepAsync(long? sweepId)
    {
        if (sweepId is not { } sweep)
        {
            return;
        }

        try
        {
            if (await runs.TryFinishSweepAsync(sweep, CancellationToken.None))
            {
                if (await runs.SnapshotAsync(sweep, CancellationToken.None) is { } done)
                {
                    await events.FinishedAsync(done, dataChanged: false);
                }
            }
            else if (events.Due(sweep, sweep: true) && await runs.SnapshotAsync(sweep, CancellationToken.None) is { } progress)
            {
                await events.ProgressAsync(progress);
            }
        }
        catch (NpgsqlException ex)
        {
            LogSweepFailed(logger, sweep, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Update-punches run {RunId} failed unexpectedly")]
    private static partial void LogUserFailed(ILogger logger, Exception exception, long runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Update-punches sweep {SweepId}: could not update its progress ({Reason})")]
    private static partial void LogSweepFailed(ILogger logger, long sweepId, string reason);
}
