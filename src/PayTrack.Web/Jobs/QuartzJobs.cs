using Quartz;

namespace PayTrack.Web.Jobs;

// The Quartz jobs are thin: they read their data map and call a service. Their keys are in JobKeys.

/// <summary>Runs (or resumes) one catchup run, whose id is in the data map.</summary>
public sealed class CatchupJob(CatchupService catchups) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await catchups.RunAsync(context.MergedJobDataMap.GetLong(JobKeys.RunId), onProgress: null, cancellationToken);
    }
}

/// <summary>The daily sweep (or "Run now"): queues every user's update for the nodes' workers.</summary>
[DisallowConcurrentExecution]
public sealed class UpdatePunchesJob(UpdatePunchesService updates, UpdatePunchesWorker worker) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.MergedJobDataMap;
        var byHand = data.ContainsKey(JobKeys.Trigger);
        var trigger = byHand ? JobRuns.Parse<JobTrigger>(data.GetString(JobKeys.Trigger)!) : JobTrigger.Schedule;
        var requestedBy = data.ContainsKey(JobKeys.RequestedBy) ? data.GetString(JobKeys.RequestedBy) : null;
        await updates.StartSweepAsync(trigger, requestedBy, byHand ? null : context.ScheduledFireTimeUtc, cancellationToken);
        worker.Wake();
    }
}

/// <summary>Puts runs of stopped nodes back to work, closes finished sweeps, forgets old history.</summary>
[DisallowConcurrentExecution]
public sealed class WatchdogJob(JobWatchdog watchdog) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await watchdog.RunAsync(cancellationToken);
}
