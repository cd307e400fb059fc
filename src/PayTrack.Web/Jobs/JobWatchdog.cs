using Quartz;

namespace PayTrack.Web.Jobs;

/// <summary>Asks a node of the cluster to run a queued catchup: a one-shot Quartz trigger, stored in the shared database.</summary>
public sealed class CatchupDispatcher(ISchedulerFactory schedulers, JobRuns runs)
{
    public async Task DispatchAsync(long runId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await runs.MarkDispatchedAsync(runId, cancellationToken);
        await scheduler.TriggerJob(JobKeys.Catchup, new JobDataMap { [JobKeys.RunId] = runId }, cancellationToken);
    }
}

/// <summary>
/// The cluster's caretaker, fired on one node at a time every <see cref="JobsOptions.WatchdogInterval"/>: runs whose
/// node stopped renewing its lease go back to the queue and resume from their checkpoints (this, not Quartz's own
/// recovery alone, is what resumes a catchup after a crash); queued catchups nobody was asked to run are dispatched;
/// sweeps whose users are all done are closed; old history is deleted.
/// </summary>
public sealed partial class JobWatchdog(JobRuns runs, JobEvents events, CatchupDispatcher dispatcher, ILogger<JobWatchdog> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (catchups, updates, failed) = await runs.RecoverStaleAsync(cancellationToken);
        if (catchups.Count + updates > 0)
        {
            LogRecovered(logger, catchups.Count, updates);
        }

        foreach (var run in failed)
        {
            await events.FinishedAsync(run, dataChanged: false);
        }

        foreach (var runId in await runs.UndispatchedCatchupsAsync(cancellationToken))
        {
            await dispatcher.DispatchAsync(runId, cancellationToken);
        }

        foreach (var sweep in await runs.OpenSweepsAsync(cancellationToken))
        {
            if (await runs.TryFinishSweepAsync(sweep, cancellationToken) && await runs.SnapshotAsync(sweep, cancellationToken) is { } done)
            {
                await events.FinishedAsync(done, dataChanged: false);
            }
        }

        if (updates > 0 || await runs.AnyQueuedUpdatesAsync(cancellationToken))
        {
            await runs.NotifyQueueAsync(cancellationToken);
        }

        await runs.DeleteOldAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jobs: resumed {Catchups} catchup(s) and {Updates} user update(s) left by a stopped node")]
    private static partial void LogRecovered(ILogger logger, int catchups, int updates);
}
