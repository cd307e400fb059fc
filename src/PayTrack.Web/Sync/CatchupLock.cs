using Npgsql;
using PayTrack.Web.Data;

namespace PayTrack.Web.Sync;

/// <summary>
/// At most one catchup per user on all nodes together: a session-level advisory lock on the user (<see cref="SessionLock"/>),
/// held for the run's length. The lock dies with its connection, so a process killed mid-run (SIGKILL, a crash) leaves
/// nothing behind, unlike Hangfire's <c>[DisableConcurrentExecution]</c>, whose lock row outlives it.
/// </summary>
public sealed class CatchupLock(NpgsqlDataSource dataSource)
{
    /// <summary>The lock, or null when another process holds it for this user.</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string userId, CancellationToken cancellationToken) =>
        await SessionLock.TryAcquireAsync(dataSource, Name(userId), cancellationToken);

    /// <summary>Whether some process holds the user's lock now (a catchup is running somewhere).</summary>
    public Task<bool> IsHeldAsync(string userId, CancellationToken cancellationToken) =>
        SessionLock.IsHeldAsync(dataSource, Name(userId), cancellationToken);

    private static string Name(string userId) => "paytrack.catchup:" + userId;
}
