using System.Globalization;
using Microsoft.Extensions.Options;
using PayTrack.Web.Connections;
using PayTrack.Web.Data;
using PayTrack.Web.Timecards;
using Quartz;

namespace PayTrack.Web.Jobs;

public enum JobRequestOutcome
{
    Started,

    /// <summary>Queued for a node of the cluster to start (from the command line, or on a node that runs no jobs).</summary>
    Queued,

    /// <summary>One is already queued or running for this user; it was not started twice.</summary>
    AlreadyActive,

    NoConnection,

    CredentialsRejected,
}

/// <summary>The answer to "run this": what happened, the run, and a sentence for the person who asked.</summary>
public sealed record JobRequestResult(JobRequestOutcome Outcome, long? RunId, string Message)
{
    public bool Accepted => Outcome is JobRequestOutcome.Started or JobRequestOutcome.Queued;
}

/// <summary>
/// Starting runs on request: a user's "Sync full history", an administrator's "Run catchup" and "Run update-punches
/// now", a saved connection, the command line. One catchup per user at a time is the database's rule (a unique
/// index over active catchups), so it holds across nodes; a second request gets the running one, in words.
/// </summary>
public sealed class JobRequests(
    JobRuns runs,
    KronosConnections connections,
    CatchupDispatcher dispatcher,
    ISchedulerFactory schedulers,
    IOptions<JobsOptions> options)
{
    /// <summary>
    /// Queues a catchup for the user and, on a node that runs jobs, asks the cluster to start it now. Without
    /// <paramref name="dispatch"/> (the command line) a running node's watchdog starts it within a minute.
    /// </summary>
    public async Task<JobRequestResult> RequestCatchupAsync(string userId, JobTrigger trigger, string? requestedBy, bool dispatch, CancellationToken cancellationToken)
    {
        var connection = await connections.FindAsync(userId, cancellationToken);
        if (connection is null)
        {
            return new JobRequestResult(JobRequestOutcome.NoConnection, null, "There is no Kronos connection for this account yet. Save one in Settings first.");
        }

        if (connection.Status == KronosConnectionStatus.CredentialsRejected)
        {
            return new JobRequestResult(JobRequestOutcome.CredentialsRejected, null, "Kronos rejected the saved password, and PayTrack does not try a rejected password again. Save new credentials in Settings first.");
        }

        var queued = await runs.QueueCatchupAsync(userId, trigger, requestedBy, cancellationToken);
        if (!queued.Created)
        {
            var since = queued.Since.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            var progress = queued.StepsTotal > 0 ? string.Create(CultureInfo.InvariantCulture, $", {queued.StepsDone} of {queued.StepsTotal} chunks done") : "";
            return new JobRequestResult(JobRequestOutcome.AlreadyActive, queued.RunId, queued.Status == JobStatus.Running
                ? $"A full-history sync is already running for this account (since {since}{progress}). It was not started twice."
                : $"A full-history sync is already waiting to start for this account (queued {since}). It was not queued twice.");
        }

        if (!dispatch || !options.Value.RunJobs)
        {
            return new JobRequestResult(JobRequestOutcome.Queued, queued.RunId, "Full-history sync queued: a PayTrack server starts it within a minute.");
        }

        await dispatcher.DispatchAsync(queued.RunId, cancellationToken);
        return new JobRequestResult(JobRequestOutcome.Started, queued.RunId, "Full-history sync started. Progress shows here as it goes.");
    }

    /// <summary>Fires update-punches now on whichever node of the cluster takes the trigger.</summary>
    public async Task<JobRequestResult> RunUpdatePunchesNowAsync(JobTrigger trigger, string? requestedBy, CancellationToken cancellationToken)
    {
        var data = new JobDataMap { [JobKeys.Trigger] = JobRuns.Name(trigger) };
        if (requestedBy is not null)
        {
            data[JobKeys.RequestedBy] = requestedBy;
        }

        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.TriggerJob(JobKeys.UpdatePunches, data, cancellationToken);
        return new JobRequestResult(JobRequestOutcome.Started, null, "Update-punches started for every user with a working connection.");
    }
}
