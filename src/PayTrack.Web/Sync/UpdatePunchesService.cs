using Microsoft.Extensions.Options;
using PayTrack.Web.Connections;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Sync;

/// <summary>
/// The daily update: a sweep records one update per user with a usable connection and enqueues a Hangfire job for
/// each (see <see cref="UpdatePunchesJobs"/>), which every node's workers take. Each update
/// re-reads a rolling window, the user's current and previous pay periods (by their own pay settings, else this
/// PayTrack's defaults) and at least four weeks, so that supervisors' late fixes of missed punches arrive.
/// </summary>
public sealed partial class UpdatePunchesService(
    SyncRuns runs,
    SyncEvents events,
    KronosConnections connections,
    KronosClient kronos,
    TimecardIngest ingest,
    ConnectionOutcomes outcomes,
    PaySettingsStore paySettings,
    IOptions<SyncOptions> options,
    TimeProvider clock,
    ILogger<UpdatePunchesService> logger)
{
    public async Task<(long SweepId, IReadOnlyList<long> Queued)> StartSweepAsync(SyncTrigger trigger, string? requestedBy, CancellationToken cancellationToken)
    {
        var (sweepId, queued) = await runs.StartSweepAsync(trigger, requestedBy, null, cancellationToken);
        LogSweep(logger, sweepId, queued.Count, trigger);
        if (queued.Count == 0 && await runs.TryFinishSweepAsync(sweepId, cancellationToken) && await runs.SnapshotAsync(sweepId, cancellationToken) is { } empty)
        {
            await events.FinishedAsync(empty, dataChanged: false);
        }
        else if (await runs.SnapshotAsync(sweepId, cancellationToken) is { } started)
        {
            await events.ProgressAsync(started, force: true);
        }

        return (sweepId, queued);
    }

    /// <summary>
    /// The Kronos half of one user's update: sign in, read the job list and the window's timecards. Kronos failures
    /// are outcomes, not exceptions; the store half records them.
    /// </summary>
    public async Task<FetchedUpdate> FetchAsync(RunClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var connection = claim.Connection;
        if (connection is null)
        {
            return FetchedUpdate.Stopped(SyncStatus.Skipped, "Skipped: this account has no Kronos connection.");
        }

        if (connection.Status == KronosConnectionStatus.CredentialsRejected)
        {
            return FetchedUpdate.Stopped(SyncStatus.Skipped, "Skipped: Kronos rejected the saved password. Save new credentials in Settings to sync again.");
        }

        var opened = connections.Open(connection);
        if (!opened.Succeeded)
        {
            return FetchedUpdate.Stopped(SyncStatus.Failed, opened.Message) with { Connection = connection };
        }

        var settings = opened.Value!;
        var today = CleaningRules.Today(clock, settings.TimeZone);
        var pay = await paySettings.OptionsAsync(claim.UserId, cancellationToken);
        var window = UpdateWindow.For(today, pay, options.Value.UpdateWindowPreviousPeriods, options.Value.UpdateWindowMinDays);
        var fetched = new FetchedUpdate(SyncStatus.Running, null) { Connection = connection, TimeZone = settings.TimeZone, Window = window };
        using var session = kronos.OpenSession(settings);
        var jobs = await kronos.GetJobsAsync(session, cancellationToken);
        if (!jobs.Succeeded)
        {
            return fetched with { Status = SyncStatus.Failed, Error = jobs.Failure.Message, Failure = jobs.Failure };
        }

        var timecards = await kronos.GetTimecardsAsync(session, jobs.Value.Select(KronosJobKey.From).ToList(), window.Start, window.End, cancellationToken);
        return timecards.Succeeded
            ? fetched with { Jobs = jobs.Value, Timecards = timecards.Value }
            : fetched with { Status = SyncStatus.Failed, Error = timecards.Failure.Message, Failure = timecards.Failure };
    }

    /// <summary>
    /// The database half: stores what was fetched, and records the outcome on the run and on the connection. The
    /// caller goes on with the next user whatever happens here.
    /// </summary>
    public async Task<SyncStatus> StoreAsync(RunClaim claim, FetchedUpdate fetched, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(fetched);
        var (status, counts, error) = await IngestAsync(claim.UserId, fetched, cancellationToken);
        if (fetched.Failure is { Kind: KronosFailureKind.InvalidCredentials or KronosFailureKind.SingleSignOnRequired })
        {
            status = SyncStatus.Rejected;
        }

        var connection = fetched.Connection is not { } used ? null
            : status == SyncStatus.Succeeded ? outcomes.Update(used, null, null)
            : outcomes.Update(used, fetched.Failure, error);
        if (!await runs.FinishUpdateAsync(claim.RunId, status, counts, fetched.Window?.Start, fetched.Window?.End, error, connection, cancellationToken))
        {
            return status;
        }

        if (counts.New + counts.Changed > 0)
        {
            await events.DataChangedAsync(claim.UserId);
        }

        // Administrators watch the sweep's counts; a user's own run is worth an event only when it went wrong.
        if (status is SyncStatus.Failed or SyncStatus.Rejected && await runs.SnapshotAsync(claim.RunId, cancellationToken) is { } failed)
        {
            await events.FinishedAsync(failed, dataChanged: false);
        }

        return status;
    }

    private async Task<(SyncStatus, RunCounts, string?)> IngestAsync(string userId, FetchedUpdate fetched, CancellationToken cancellationToken)
    {
        if (fetched.Status != SyncStatus.Running)
        {
            return (fetched.Status, RunCounts.None, fetched.Error);
        }

        var count = fetched.Timecards!.Sum(t => t.Periods.Sum(p => p.Days.Sum(d => d.Punches.Count)));
        var stored = await ingest.IngestAsync(
            userId,
            new EmployeeList { List = fetched.Jobs! },
            fetched.Timecards!,
            IngestSource.Kronos,
            fetched.TimeZone!,
            cancellationToken);
        return stored.Succeeded
            ? (SyncStatus.Succeeded, new RunCounts(count, stored.New, stored.Changed, stored.Unchanged), null)
            : (SyncStatus.Failed, new RunCounts(count, 0, 0, 0), $"Kronos sent punches PayTrack could not store. {stored.Summary}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Update-punches run {SweepId} queued {Users} users ({Trigger})")]
    private static partial void LogSweep(ILogger logger, long sweepId, int users, SyncTrigger trigger);

    /// <summary>Kronos failed for now (after the client's own retries): worth a Hangfire retry.</summary>
    public static bool IsTransient(FetchedUpdate fetched) => fetched?.Failure is { IsTransient: true };
}

/// <summary>What the Kronos half of a user's update found: the data to store, or why it stopped (Status not Running).</summary>
public sealed record FetchedUpdate(SyncStatus Status, string? Error)
{
    public KronosConnection? Connection { get; init; }

    public KronosFailure? Failure { get; init; }

    public string? TimeZone { get; init; }

    public (DateOnly Start, DateOnly End)? Window { get; init; }

    public IReadOnlyList<EmployeeJob>? Jobs { get; init; }

    public IReadOnlyList<JobTimecard>? Timecards { get; init; }

    public static FetchedUpdate Stopped(SyncStatus status, string error) => new(status, error);
}
