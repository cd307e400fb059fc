using System.ComponentModel;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace PayTrack.Web.Notion;

/// <summary>
/// The Hangfire job that keeps one user's Notion current. A change to the user's data asks for it
/// (<see cref="NotionChangeListener"/>); the first request of a burst schedules it <see cref="NotionOptions.SyncDelay"/>
/// later, and the changes made before it starts ride along. A change made while it runs leaves its request in place,
/// so the job schedules one more run. A failing Notion is retried by Hangfire with back-off; a connection that needs
/// the user's attention is left alone until they connect again.
/// </summary>
public sealed partial class NotionSyncJob(
    NotionSync sync,
    NotionConnections connections,
    IBackgroundJobClient jobs,
    IOptions<NotionOptions> options,
    ILogger<NotionSyncJob> logger)
{
    /// <summary>Puts a sync of <paramref name="userId"/>'s Notion on Hangfire's default queue after <paramref name="delay"/>.</summary>
    public static void Schedule(IBackgroundJobClient jobs, string userId, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var job = Hangfire.Common.Job.FromExpression<NotionSyncJob>(j => j.RunAsync(userId, CancellationToken.None));
        jobs.Create(job, delay > TimeSpan.Zero ? new ScheduledState(delay) : new EnqueuedState());
    }

    /// <summary>Asks for a sync after a change; schedules the job when this is the first request of a burst.</summary>
    public async Task AskAsync(string userId, CancellationToken cancellationToken)
    {
        if (await connections.AskForSyncAsync(userId, cancellationToken))
        {
            Schedule(jobs, userId, options.Value.SyncDelay);
        }
    }

    [DisplayName("Notion sync: user {0}")]
    public async Task RunAsync(string userId, CancellationToken cancellationToken)
    {
        if (!options.Value.SyncAfterChanges)
        {
            // This node keeps Notion current only when asked to (`notion sync`); another node may take the next one.
            return;
        }

        var result = await sync.RunAsync(userId, null, cancellationToken);
        if (!result.Succeeded)
        {
            var pending = await connections.IsSyncPendingAsync(userId, cancellationToken);
            LogFailed(logger, userId, pending);
            if (pending)
            {
                // Notion failing for now (or another sync of this user running): Hangfire tries again with back-off.
                throw new NotionSyncFailedException(result.Message);
            }

            return;
        }

        if (await connections.IsSyncPendingAsync(userId, cancellationToken))
        {
            Schedule(jobs, userId, options.Value.SyncDelay);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notion sync of user {UserId} did not finish (will be tried again: {Retry})")]
    private static partial void LogFailed(ILogger logger, string userId, bool retry);
}

/// <summary>A Notion sync that could not finish for now; its words are the ones the user sees on the settings page.</summary>
public sealed class NotionSyncFailedException(string message) : Exception(message);
