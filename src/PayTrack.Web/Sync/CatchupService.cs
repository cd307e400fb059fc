using Microsoft.Extensions.Options;
using PayTrack.Web.Connections;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Sync;

public enum CatchupOutcome
{
    Succeeded,
    Failed,

    /// <summary>Kronos failed for now; the run waits, with its checkpoints, for Hangfire to try again.</summary>
    RetryLater,

    /// <summary>Another process holds this user's catchup lock: it is running there, and nothing was done here.</summary>
    AlreadyRunning,

    /// <summary>No catchup was waiting for this user (another process finished it): nothing was done.</summary>
    NothingToDo,

    /// <summary>Kronos asked us to wait until <see cref="CatchupResult.RetryAt"/>; the run waits, with its checkpoints, until then.</summary>
    WaitUntil,
}

/// <summary>How a catchup ended here, its run, and the words for it.</summary>
public sealed record CatchupResult(CatchupOutcome Outcome, long? RunId, string? Error)
{
    /// <summary>For <see cref="CatchupOutcome.WaitUntil"/>: the instant Kronos asked us to wait until.</summary>
    public DateTimeOffset? RetryAt { get; init; }
}

/// <summary>
/// A user's whole history, from each job's hire date to today. The range is cut into chunks (one job, one request's
/// worth of days), newest first so the dashboard fills from the present backwards. Each chunk is fetched, ingested
/// and committed, then recorded as done: a run that stops (a crash, a deploy, a retry) resumes after its last recorded
/// chunk, and at worst ingests one chunk twice, which changes nothing because ingest is idempotent. The run holds the
/// user's <see cref="CatchupLock"/> throughout, wherever it runs (a Hangfire worker or the <c>catchup</c> command).
/// </summary>
public sealed partial class CatchupService(
    SyncRuns runs,
    CatchupLock locks,
    SyncEvents events,
    KronosConnections connections,
    KronosClient kronos,
    TimecardIngest ingest,
    ConnectionOutcomes outcomes,
    IOptions<KronosOptions> kronosOptions,
    IOptions<SyncOptions> options,
    TimeProvider clock,
    ILogger<CatchupService> logger)
{
    private DateTimeOffset? _askedToWaitUntil;

    /// <summary>
    /// Runs (or resumes) the user's waiting catchup under the user's lock; with <paramref name="startIfNone"/> a new
    /// one is started when none waits. <paramref name="canRetry"/>: a failure for now leaves the run waiting for a
    /// retry instead of ending it.
    /// </summary>
    public async Task<CatchupResult> RunAsync(
        string userId,
        bool startIfNone,
        SyncTrigger trigger,
        bool canRetry,
        Func<RunSnapshot, Task>? onProgress,
        CancellationToken cancellationToken)
    {
        await using var held = await locks.TryAcquireAsync(userId, cancellationToken);
        var (claim, early) = await ClaimAsync(userId, held is not null, startIfNone, trigger, cancellationToken);
        if (claim is null)
        {
            return early!;
        }

        var runId = claim.RunId;
        LogStarted(logger, runId, claim.Attempts);
        try
        {
            var (outcome, error, changed) = await ExecuteAsync(claim, onProgress, cancellationToken);
            if (outcome == CatchupOutcome.RetryLater && !canRetry)
            {
                outcome = CatchupOutcome.Failed;
            }

            if (outcome == CatchupOutcome.WaitUntil)
            {
                await runs.WaitAsync(runId, error, cancellationToken);
            }
            else if (outcome == CatchupOutcome.RetryLater)
            {
                await runs.WaitAsync(runId, "Waiting to try again: " + error, cancellationToken);
            }
            else
            {
                await runs.FinishAsync(runId, outcome == CatchupOutcome.Succeeded ? SyncStatus.Succeeded : SyncStatus.Failed, null, error, cancellationToken);
            }

            await PublishEndAsync(runId, outcome, error, changed, onProgress);
            LogFinished(logger, runId, outcome);
            return new CatchupResult(outcome, runId, error) { RetryAt = outcome == CatchupOutcome.WaitUntil ? _askedToWaitUntil : null };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the run waits again with its checkpoints; Hangfire gives the job to another node or the next start.
            await runs.WaitAsync(runId, null, CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or a database failure: the run keeps its checkpoints; Hangfire tries again while it can.
            LogUnexpected(logger, ex, runId);
            if (canRetry)
            {
                await runs.WaitAsync(runId, "Waiting to try again after an unexpected error.", CancellationToken.None);
                throw;
            }

            const string Unexpected = "PayTrack hit an unexpected error during this sync; the details are in the server log.";
            await runs.FinishAsync(runId, SyncStatus.Failed, null, Unexpected, CancellationToken.None);
            await PublishEndAsync(runId, CatchupOutcome.Failed, Unexpected, false, onProgress);
            return new CatchupResult(CatchupOutcome.Failed, runId, Unexpected);
        }
    }

    /// <summary>The run to work on under the lock (the waiting one, or a new one), or how this ended without one.</summary>
    private async Task<(RunClaim? Claim, CatchupResult? Early)> ClaimAsync(string userId, bool locked, bool startIfNone, SyncTrigger trigger, CancellationToken cancellationToken)
    {
        var active = await runs.FindActiveCatchupAsync(userId, cancellationToken);
        if (!locked)
        {
            return (null, new CatchupResult(CatchupOutcome.AlreadyRunning, active?.RunId, null));
        }

        long runId;
        if (active is not null)
        {
            runId = active.RunId;
        }
        else if (startIfNone)
        {
            runId = (await runs.QueueCatchupAsync(userId, trigger, null, cancellationToken)).RunId;
        }
        else
        {
            return (null, new CatchupResult(CatchupOutcome.NothingToDo, null, null));
        }

        var claim = await runs.StartCatchupAsync(runId, cancellationToken);
        return claim is null ? (null, new CatchupResult(CatchupOutcome.NothingToDo, runId, null)) : (claim, null);
    }

    private async Task PublishEndAsync(long runId, CatchupOutcome outcome, string? error, bool changed, Func<RunSnapshot, Task>? onProgress)
    {
        if (await runs.SnapshotAsync(runId, CancellationToken.None) is not { } final)
        {
            return;
        }

        if (outcome is CatchupOutcome.RetryLater or CatchupOutcome.WaitUntil)
        {
            await events.ProgressAsync(final, force: true);
        }
        else
        {
            await events.FinishedAsync(final, changed);
        }

        if (onProgress is not null)
        {
            await onProgress(final with { Error = final.Error ?? error });
        }
    }

    private async Task<(CatchupOutcome Outcome, string? Error, bool Changed)> ExecuteAsync(RunClaim claim, Func<RunSnapshot, Task>? onProgress, CancellationToken cancellationToken)
    {
        var connection = await connections.FindAsync(claim.UserId, cancellationToken);
        if (connection is null)
        {
            return (CatchupOutcome.Failed, "This account has no Kronos connection. Save one in Settings, then sync again.", false);
        }

        if (connection.Status == KronosConnectionStatus.CredentialsRejected)
        {
            return (CatchupOutcome.Failed, "Kronos rejected the saved password, so PayTrack did not try it again. Save new credentials in Settings.", false);
        }

        var opened = connections.Open(connection);
        if (!opened.Succeeded)
        {
            await outcomes.FailedAsync(connection, opened.Message, cancellationToken);
            return (CatchupOutcome.Failed, opened.Message, false);
        }

        var settings = opened.Value!;

        using var session = kronos.OpenSession(settings);
        var jobs = await kronos.GetJobsAsync(session, cancellationToken);
        if (!jobs.Succeeded)
        {
            return await FailAsync(connection, jobs.Failure, cancellationToken);
        }

        var employees = new EmployeeList { List = jobs.Value };
        var chunks = await runs.GetChunksAsync(claim.RunId, cancellationToken);
        if (chunks.Count == 0)
        {
            var plan = CatchupPlan.For(jobs.Value, CleaningRules.Today(clock, settings.TimeZone), kronosOptions.Value.ChunkDays, options.Value.CatchupYearsWithoutHireDate);
            chunks = await runs.PlanChunksAsync(claim.RunId, claim.UserId, plan, cancellationToken);
        }

        await ReportAsync(claim.RunId, onProgress, force: true, cancellationToken);
        return await ReadChunksAsync(claim, connection, session, employees, settings.TimeZone, chunks, onProgress, cancellationToken);
    }

    private async Task<(CatchupOutcome Outcome, string? Error, bool Changed)> ReadChunksAsync(
        RunClaim claim,
        KronosConnection connection,
        KronosSession session,
        EmployeeList employees,
        string timeZone,
        IReadOnlyList<ChunkState> chunks,
        Func<RunSnapshot, Task>? onProgress,
        CancellationToken cancellationToken)
    {
        var changed = false;
        foreach (var chunk in chunks.Where(c => !c.Done))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await runs.SetRangeAsync(claim.RunId, chunk.Start, chunk.End, cancellationToken);
            var timecard = await kronos.GetTimecardAsync(session, new KronosJobKey(chunk.EmployeeId, chunk.PayRuleId), chunk.Start, chunk.End, cancellationToken);
            if (!timecard.Succeeded)
            {
                var (outcome, error, _) = await FailAsync(connection, timecard.Failure, cancellationToken);
                return (outcome, error, changed);
            }

            var stored = await ingest.IngestAsync(claim.UserId, employees, [timecard.Value], IngestSource.Kronos, timeZone, cancellationToken);
            if (!stored.Succeeded)
            {
                var error = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Kronos sent punches for {chunk.Start:d MMM yyyy} to {chunk.End:d MMM yyyy} that PayTrack could not store. {stored.Summary}");
                await outcomes.FailedAsync(connection, error, cancellationToken);
                return (CatchupOutcome.Failed, error, changed);
            }

            changed |= stored.New + stored.Changed > 0;
            var fetched = timecard.Value.Periods.Sum(p => p.Days.Sum(d => d.Punches.Count));
            await runs.CompleteChunkAsync(claim.RunId, chunk, new RunCounts(fetched, stored.New, stored.Changed, stored.Unchanged), cancellationToken);
            await ReportAsync(claim.RunId, onProgress, force: false, cancellationToken);
        }

        await outcomes.SucceededAsync(connection, cancellationToken);
        return (CatchupOutcome.Succeeded, null, changed);
    }

    private async Task<(CatchupOutcome, string?, bool)> FailAsync(KronosConnection connection, KronosFailure failure, CancellationToken cancellationToken)
    {
        await outcomes.FailedAsync(connection, failure, cancellationToken);
        if (failure is { Kind: KronosFailureKind.AskedToWait, RetryAt: { } until })
        {
            // Kronos said when to ask again: not a failed attempt; the run is scheduled for then and nothing is sent before.
            _askedToWaitUntil = until;
            return (CatchupOutcome.WaitUntil, failure.Message, false);
        }

        return (failure.IsTransient ? CatchupOutcome.RetryLater : CatchupOutcome.Failed, failure.Message, false);
    }

    private async Task ReportAsync(long runId, Func<RunSnapshot, Task>? onProgress, bool force, CancellationToken cancellationToken)
    {
        if (await runs.SnapshotAsync(runId, cancellationToken) is not { } snapshot)
        {
            return;
        }

        await events.ProgressAsync(snapshot, force);
        if (onProgress is not null)
        {
            await onProgress(snapshot);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Catchup run {RunId} started (attempt {Attempt})")]
    private static partial void LogStarted(ILogger logger, long runId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catchup run {RunId} ended: {Outcome}")]
    private static partial void LogFinished(ILogger logger, long runId, CatchupOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Catchup run {RunId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long runId);

}
