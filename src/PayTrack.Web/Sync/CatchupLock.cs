using Npgsql;

namespace PayTrack.Web.Sync;

/// <summary>
/// At most one catchup per user on all nodes together: a session-level PostgreSQL advisory lock, held on a connection
/// of its own for the run's length. The lock dies with its connection, so a process killed mid-run (SIGKILL, a
/// crash) leaves nothing behind, unlike Hangfire's <c>[DisableConcurrentExecution]</c>, whose lock row outlives it.
/// </summary>
public sealed class CatchupLock(NpgsqlDataSource dataSource)
{
    /// <summary>The lock, or null when another process holds it for this user.</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string userId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended('paytrack.catchup:' || @user, 0))", connection);
            command.Parameters.AddWithValue("user", userId);
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return new Held(connection, userId);
            }
        }
        catch
        {
            // The pool does not reset its connections (DataExtensions.WithPoolDefaults): a lock taken just before the
            // failure must not travel with the connection to its next user.
            await UnlockAsync(connection, userId);
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>Whether some process holds the user's lock now (a catchup is running somewhere).</summary>
    public async Task<bool> IsHeldAsync(string userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
                           AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('paytrack.catchup:' || @user, 0))
            """);
        command.Parameters.AddWithValue("user", userId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private sealed class Held(NpgsqlConnection connection, string userId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // Unlocked before the connection goes back to the pool, which does not reset it; closing it would release it too.
                await UnlockAsync(connection, userId);
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task UnlockAsync(NpgsqlConnection connection, string userId)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended('paytrack.catchup:' || @user, 0))", connection);
            command.Parameters.AddWithValue("user", userId);
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection is gone (or broken), and the lock with it.
        }
    }
}
