using Microsoft.Extensions.Options;
using PayTrack.Web.Connections;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Jobs;

public enum CatchupOutcome
{
    Succeeded,
    Failed,

    /// <summary>Kronos failed for now; the run went back to the queue and resumes from its checkpoint later.</summary>
    RetryLater,

    /// <summary>Another live node holds the run, or it has finished: nothing was done here.</summary>
    NotClaimed,
}

/// <summary>
/// A user's whole history, from each job's hire date to today. The range is cut into chunks (one job, one request's
/// worth of days), newest first so the dashboard fills from the present backwards. Each chunk is fetched, ingested
/// and committed, then recorded as done: a run that stops (a crash, a deploy) resumes after its last recorded chunk,
/// and at worst ingests one chunk twice, which changes nothing because ingest is idempotent.
/// </summary>
public sealed partial class CatchupService(
    JobRuns runs,
    LeaseKeeper leases,
    JobEvents events,
    KronosConnections connections,
    KronosClient kronos,
    TimecardIngest ingest,
    ConnectionOutcomes outcomes,
    IOptions<KronosOptions> kronosOptions,
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<CatchupService> logger)
{
    /// <summary>Runs (or resumes) the catchup recorded as <paramref name="runId"/> if this node can take it.</summary>
    public async Task<CatchupOutcome> RunAsync(long runId, Func<RunSnapshot, Task>? onProgress, CancellationToken cancellationToken)
    {
        var claim = await runs.ClaimCatchupAsync(runId, cancellationToken);
        if (claim is null)
        {
            return CatchupOutcome.NotClaimed;
        }

        LogStarted(logger, runId, claim.Attempts);
        using var lease = leases.Hold(runId);
        try
        {
            var (outcome, error, changed) = await ExecuteAsync(claim, onProgress, cancellationToken);
            if (outcome == CatchupOutcome.RetryLater)
            {
                await runs.ReleaseAsync(runId, retryLater: true, "Waiting to try again: " + error, cancellationToken);
            }
            else
            {
                await runs.FinishAsync(runId, outcome == CatchupOutcome.Succeeded ? JobStatus.Succeeded : JobStatus.Failed, null, error, cancellationToken);
            }

            if (await runs.SnapshotAsync(runId, cancellationToken) is { } final)
            {
                if (outcome == CatchupOutcome.RetryLater)
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

            LogFinished(logger, runId, outcome);
            return outcome;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: hand the run back so another node (or this one after its restart) resumes it at once.
            await runs.ReleaseAsync(runId, retryLater: false, null, CancellationToken.None);
            throw;
        }
        catch (LeaseLostException)
        {
            LogLeaseLost(logger, runId);
            return CatchupOutcome.NotClaimed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or a database failure: the run keeps its checkpoints and is tried again later, up to the limit.
            LogUnexpected(logger, ex, runId);
            return await GiveBackAsync(claim);
        }
    }

    private async Task<CatchupOutcome> GiveBackAsync(RunClaim claim)
    {
        if (claim.Attempts < options.Value.MaxAttempts)
        {
            await runs.ReleaseAsync(claim.RunId, retryLater: true, "Waiting to try again after an unexpected error.", CancellationToken.None);
            return CatchupOutcome.RetryLater;
        }

        await runs.FinishAsync(claim.RunId, JobStatus.Failed, null, "PayTrack hit an unexpected error during this sync; the details are in the server log.", CancellationToken.None);
        return CatchupOutcome.Failed;
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

        var (settings, problem) = connections.Open(connection);
        if (settings is null)
        {
            await outcomes.FailedAsync(connection, problem!, cancellationToken);
            return (CatchupOutcome.Failed, problem, false);
        }

        using var session = kronos.OpenSession(settings);
        var jobs = await kronos.GetJobsAsync(session, cancellationToken);
        if (!jobs.Succeeded)
        {
            return await FailAsync(claim, connection, jobs.Failure, cancellationToken);
        }

        var employees = new EmployeeList { List = jobs.Value };
        var chunks = await runs.GetChunksAsync(claim.RunId, cancellationToken);
        if (chunks.Count == 0)
        {
            var plan = CatchupPlan.For(jobs.Value, Today(settings.TimeZone), kronosOptions.Value.ChunkDays, options.Value.CatchupYearsWithoutHireDate);
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
                var (outcome, error, _) = await FailAsync(claim, connection, timecard.Failure, cancellationToken);
                return (outcome, error, changed);
            }

            var stored = await ingest.IngestAsync(claim.UserId, employees, [(chunk.EmployeeId, chunk.PayRuleId, timecard.Value.Periods)], IngestSource.Kronos, timeZone, cancellationToken);
            if (!stored.Succeeded)
            {
                var error = $"Kronos sent punches for {chunk.Start:yyyy-MM-dd} to {chunk.End:yyyy-MM-dd} that PayTrack could not store. {stored.Summary}";
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

    private DateOnly Today(string timeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(timeZone)).DateTime);

    private async Task<(CatchupOutcome, string?, bool)> FailAsync(RunClaim claim, KronosConnection connection, KronosFailure failure, CancellationToken cancellationToken)
    {
        await outcomes.FailedAsync(connection, failure, cancellationToken);
        // Kronos said when to ask again: not a failed attempt, and the client sends nothing before failure.RetryAt.
        if (failure.Kind == KronosFailureKind.AskedToWait ||
            (failure.IsTransient && claim.Attempts < options.Value.MaxAttempts))
        {
            return (CatchupOutcome.RetryLater, failure.Message, false);
        }

        return (CatchupOutcome.Failed, failure.Message, false);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catchup run {RunId}: another node took it over after this node's lease lapsed")]
    private static partial void LogLeaseLost(ILogger logger, long runId);
}
