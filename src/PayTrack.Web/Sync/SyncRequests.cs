using System.Globalization;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;
using PayTrack.Web.Connections;
using PayTrack.Web.Data;

namespace PayTrack.Web.Sync;

/// <summary>
/// Starting runs on request: a user's "Sync full history" and "Sync now", an administrator's "Run catchup" and "Run update-punches
/// now", a saved connection, the command line. One waiting or running catchup per user is the database's rule (a
/// unique index over active catchups), checked before anything is queued: a second request gets the first, in words,
/// and enqueues nothing.
/// </summary>
public sealed class SyncRequests(
    SyncRuns runs,
    KronosConnections connections,
    CatchupEntries entries,
    IBackgroundJobClient hangfire,
    IOptions<SyncOptions> options,
    TimeProvider clock)
{
    /// <summary>A connection was saved: its "Trigger now" entry on the Hangfire Dashboard, then its catchup.</summary>
    public async Task<Outcome<long?>> ConnectionSavedAsync(string userId, SyncTrigger trigger, CancellationToken cancellationToken)
    {
        await entries.AddAsync(userId, cancellationToken);
        return await RequestCatchupAsync(userId, trigger, null, cancellationToken);
    }

    /// <summary>Records a waiting catchup for the user and enqueues its Hangfire job, unless one already waits or runs.</summary>
    public async Task<Outcome<long?>> RequestCatchupAsync(string userId, SyncTrigger trigger, string? requestedBy, CancellationToken cancellationToken)
    {
        var usable = await UsableConnectionAsync(userId, cancellationToken);
        if (!usable.Succeeded)
        {
            return usable.WithoutValue().As<long?>();
        }

        var connection = usable.Value!;

        var queued = await runs.QueueCatchupAsync(userId, trigger, requestedBy, cancellationToken);
        if (!queued.Created)
        {
            var since = LocalTime(queued.Since, connection.TimeZone);
            var progress = queued.StepsTotal > 0 ? string.Create(CultureInfo.InvariantCulture, $", {queued.StepsDone} of {queued.StepsTotal} date ranges read") : "";
            return Outcome.Busy(queued.Status == SyncStatus.Running
                ? $"A full-history sync is already running for this account (since {since}{progress}). It was not started twice."
                : $"A full-history sync is already waiting to start for this account (queued {since}). It was not queued twice.").As<long?>(queued.RunId);
        }

        try
        {
            EnqueueCatchup(userId);
        }
        catch
        {
            await runs.FinishAsync(queued.RunId, SyncStatus.Failed, null, "PayTrack could not queue this sync; try again in a minute.", CancellationToken.None);
            throw;
        }

        // The command line runs no Hangfire server: a server's workers take the job.
        return options.Value.RunJobs && trigger != SyncTrigger.Command
            ? Outcome.Of<long?>(queued.RunId, "Full-history sync started. Progress shows here as it goes.")
            : Outcome.Of<long?>(queued.RunId, "Full-history sync queued: a PayTrack server starts it shortly.");
    }

    /// <summary>
    /// "Sync now": an update of the user's recent window (the daily update's, for this user alone), queued on the
    /// update queue. Refused in words while an update or a full-history sync of the user waits or runs.
    /// </summary>
    public async Task<Outcome<long?>> RequestUpdateAsync(string userId, SyncTrigger trigger, string? requestedBy, CancellationToken cancellationToken)
    {
        var usable = await UsableConnectionAsync(userId, cancellationToken);
        if (!usable.Succeeded)
        {
            return usable.WithoutValue().As<long?>();
        }

        var connection = usable.Value!;

        if (await runs.FindActiveCatchupAsync(userId, cancellationToken) is { } catchup)
        {
            return Outcome.Busy(
                $"A full-history sync is already under way for this account (since {LocalTime(catchup.Since, connection.TimeZone)}); it reads the recent punches too. Nothing more was started.").As<long?>(catchup.RunId);
        }

        if (await runs.QueueUpdateAsync(userId, trigger, requestedBy, cancellationToken) is not { } runId)
        {
            return Outcome.Busy("A sync of the recent punches is already running for this account. It was not started twice.");
        }

        try
        {
            EnqueueUpdate(runId);
        }
        catch
        {
            await runs.FinishUpdateAsync(runId, SyncStatus.Failed, RunCounts.None, null, null, "PayTrack could not queue this sync; try again in a minute.", null, CancellationToken.None);
            throw;
        }

        return options.Value.RunJobs && trigger != SyncTrigger.Command
            ? Outcome.Of<long?>(runId, "Sync started: PayTrack is reading your recent punches from Kronos.")
            : Outcome.Of<long?>(runId, "Sync queued: a PayTrack server starts it shortly.");
    }

    /// <summary>The user's catchup job, on the catchup queue; it runs the waiting run under the user's lock.</summary>
    public string EnqueueCatchup(string userId) =>
        hangfire.Create(Hangfire.Common.Job.FromExpression<CatchupJob>(j => j.RunAsync(userId, null, CancellationToken.None)), new EnqueuedState(options.Value.CatchupQueue));

    /// <summary>The user's catchup job, after <paramref name="delay"/>: it resumes the waiting run from its last stored chunk.</summary>
    public string ScheduleCatchup(string userId, TimeSpan delay) =>
        hangfire.Create(Hangfire.Common.Job.FromExpression<CatchupJob>(j => j.RunAsync(userId, null, CancellationToken.None), options.Value.CatchupQueue), new ScheduledState(delay));

    /// <summary>
    /// The user's catchup job at <paramref name="at"/> on PayTrack's clock (the time Kronos asked us to wait until). Hangfire
    /// keeps time on the system clock, so it gets the wait as a delay.
    /// </summary>
    public string ScheduleCatchup(string userId, DateTimeOffset at) => ScheduleCatchup(userId, at - clock.GetUtcNow());

    /// <summary>One user's update (<paramref name="runId"/>), on the update queue, for any node's workers.</summary>
    public string EnqueueUpdate(long runId) =>
        hangfire.Create(Hangfire.Common.Job.FromExpression<UpdatePunchesJobs>(j => j.UserAsync(runId, null, CancellationToken.None)), new EnqueuedState(options.Value.UpdateQueue));

    /// <summary>One user's update again at <paramref name="at"/> on PayTrack's clock (the time Kronos asked us to wait until), as a delay for Hangfire.</summary>
    public string ScheduleUpdate(long runId, DateTimeOffset at) =>
        hangfire.Create(Hangfire.Common.Job.FromExpression<UpdatePunchesJobs>(j => j.UserAsync(runId, null, CancellationToken.None), options.Value.UpdateQueue), new ScheduledState(at - clock.GetUtcNow()));

    /// <summary>Enqueues update-punches now; whichever node's worker takes it fans it out to every node.</summary>
    public Outcome RunUpdatePunchesNow(SyncTrigger trigger, string? requestedBy)
    {
        hangfire.Create(Hangfire.Common.Job.FromExpression<UpdatePunchesJobs>(j => j.SweepAsync(trigger, requestedBy, CancellationToken.None)), new EnqueuedState(options.Value.UpdateQueue));
        return Outcome.Ok("Update-punches started for every user with a working connection.");
    }

    /// <summary>The user's connection, or the answer to give when there is none PayTrack may use.</summary>
    private async Task<Outcome<KronosConnection>> UsableConnectionAsync(string userId, CancellationToken cancellationToken)
    {
        var connection = await connections.FindAsync(userId, cancellationToken);
        if (connection is null)
        {
            return Outcome.NotFound("There is no Kronos connection for this account yet. Save one in Settings first.");
        }

        return connection.Status == KronosConnectionStatus.CredentialsRejected
            ? Outcome.Refused("Kronos rejected the saved password, and PayTrack does not try a rejected password again. Save new credentials in Settings first.")
            : Outcome.Of(connection);
    }

    private static string LocalTime(DateTimeOffset at, string zoneId)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.Utc;
        return TimeZoneInfo.ConvertTime(at, zone).ToString("MMM d, h:mm tt", CultureInfo.InvariantCulture);
    }
}
