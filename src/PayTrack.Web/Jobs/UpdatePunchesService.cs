using Microsoft.Extensions.Options;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Jobs;

/// <summary>
/// The daily update: a sweep queues one update per user with a usable connection (the cron firing runs on one node
/// of the cluster), and every node's <see cref="UpdatePunchesWorker"/> takes users from that queue. Each update
/// re-reads a rolling window, the current and previous pay periods and at least four weeks, so that supervisors'
/// late fixes of missed punches arrive.
/// </summary>
public sealed partial class UpdatePunchesService(
    JobRuns runs,
    JobEvents events,
    KronosConnections connections,
    KronosClient kronos,
    TimecardIngest ingest,
    ConnectionOutcomes outcomes,
    IOptions<PayOptions> pay,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<UpdatePunchesService> logger)
{
    public async Task<long> StartSweepAsync(JobTrigger trigger, string? requestedBy, DateTimeOffset? scheduledFor, CancellationToken cancellationToken)
    {
        var (sweepId, queued) = await runs.StartSweepAsync(trigger, requestedBy, scheduledFor, cancellationToken);
        LogSweep(logger, sweepId, queued, trigger);
        if (queued == 0 && await runs.TryFinishSweepAsync(sweepId, cancellationToken) && await runs.SnapshotAsync(sweepId, cancellationToken) is { } empty)
        {
            await events.FinishedAsync(empty, dataChanged: false);
        }
        else if (await runs.SnapshotAsync(sweepId, cancellationToken) is { } started)
        {
            await events.ProgressAsync(started, force: true);
        }

        return sweepId;
    }

    /// <summary>
    /// Updates one user whose run this node holds, and records the outcome on the run and on the connection. Kronos
    /// failures are outcomes, not exceptions: the caller goes on with the next user whatever happens here.
    /// </summary>
    public async Task<JobStatus> UpdateUserAsync(RunClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var (status, counts, window, error) = await ExecuteAsync(claim.UserId, cancellationToken);
        if (!await runs.FinishUpdateAsync(claim.RunId, status, counts, window?.Start, window?.End, error, cancellationToken))
        {
            return status;
        }

        if (counts.New + counts.Changed > 0)
        {
            await events.DataChangedAsync(claim.UserId);
        }

        // Administrators watch the sweep's counts; a user's own run is worth an event only when it went wrong.
        if (status == JobStatus.Failed && await runs.SnapshotAsync(claim.RunId, cancellationToken) is { } failed)
        {
            await events.FinishedAsync(failed, dataChanged: false);
        }

        return status;
    }

    private async Task<(JobStatus, RunCounts, (DateOnly Start, DateOnly End)?, string?)> ExecuteAsync(string userId, CancellationToken cancellationToken)
    {
        var connection = await connections.FindAsync(userId, cancellationToken);
        if (connection is null)
        {
            return (JobStatus.Skipped, RunCounts.None, null, "Skipped: this account has no Kronos connection.");
        }

        if (connection.Status == KronosConnectionStatus.CredentialsRejected)
        {
            return (JobStatus.Skipped, RunCounts.None, null, "Skipped: Kronos rejected the saved password. Save new credentials in Settings to sync again.");
        }

        var (settings, problem) = KronosConnectionCheck.Open(connections, connection);
        if (settings is null)
        {
            await outcomes.FailedAsync(connection, problem!, cancellationToken);
            return (JobStatus.Failed, RunCounts.None, null, problem);
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone)).DateTime);
        var window = UpdateWindow.For(today, pay.Value, options.Value.UpdateWindowPreviousPeriods, options.Value.UpdateWindowMinDays);
        using var session = kronos.OpenSession(settings);
        var jobs = await kronos.GetJobsAsync(session, cancellationToken);
        if (!jobs.Succeeded)
        {
            await outcomes.FailedAsync(connection, jobs.Failure, cancellationToken);
            return (JobStatus.Failed, RunCounts.None, window, jobs.Failure.Message);
        }

        var timecards = await kronos.GetTimecardsAsync(session, jobs.Value.Select(KronosJobKey.From).ToList(), window.Start, window.End, cancellationToken);
        if (!timecards.Succeeded)
        {
            await outcomes.FailedAsync(connection, timecards.Failure, cancellationToken);
            return (JobStatus.Failed, RunCounts.None, window, timecards.Failure.Message);
        }

        var fetched = timecards.Value.Sum(t => t.Periods.Sum(p => p.Days.Sum(d => d.Punches.Count)));
        var stored = await ingest.IngestAsync(
            userId,
            new EmployeeList { List = jobs.Value },
            timecards.Value.Select(t => (t.Job.EmployeeId, t.Job.PayRuleId, t.Periods)).ToList(),
            IngestSource.Kronos,
            settings.TimeZone,
            cancellationToken);
        if (!stored.Succeeded)
        {
            var error = $"Kronos sent punches PayTrack could not store. {stored.Summary}";
            await outcomes.FailedAsync(connection, error, cancellationToken);
            return (JobStatus.Failed, new RunCounts(fetched, 0, 0, 0), window, error);
        }

        await outcomes.SucceededAsync(connection, cancellationToken);
        return (JobStatus.Succeeded, new RunCounts(fetched, stored.New, stored.Changed, stored.Unchanged), window, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Update-punches run {SweepId} queued {Users} users ({Trigger})")]
    private static partial void LogSweep(ILogger logger, long sweepId, int users, JobTrigger trigger);
}
