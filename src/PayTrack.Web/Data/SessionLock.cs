using Npgsql;

namespace PayTrack.Web.Data;

/// <summary>
/// A PostgreSQL session-level advisory lock on a name, held on a pooled connection of its own until disposed: at most
/// one holder on all nodes together, and the lock dies with its connection, so a process killed while holding it
/// (SIGKILL, a crash) leaves nothing behind. The pool does not reset its connections (<see cref="DataExtensions.WithPoolDefaults"/>),
/// so the lock is always released before the connection goes back, also when taking it failed halfway.
/// </summary>
public sealed class SessionLock : IAsyncDisposable
{
    private const string Key = "hashtextextended($1, 0)";

    private readonly string _name;

    private SessionLock(NpgsqlConnection connection, string name)
    {
        Connection = connection;
        _name = name;
    }

    /// <summary>The connection that holds the lock, for work that must run under it.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The lock, or null when another session holds it.</summary>
    public static Task<SessionLock?> TryAcquireAsync(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken) =>
        AcquireAsync(dataSource, name, $"SELECT pg_try_advisory_lock({Key})", cancellationToken);

    /// <summary>The lock, waiting while another session holds it.</summary>
    public static async Task<SessionLock> WaitAsync(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken) =>
        (await AcquireAsync(dataSource, name, $"SELECT pg_advisory_lock({Key}) IS NOT NULL", cancellationToken))!;

    /// <summary>Whether some session holds the lock now.</summary>
    public static async Task<bool> IsHeldAsync(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand($"""
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
                           AND ((classid::bigint << 32) | objid::bigint) = {Key})
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync(Connection, $"SELECT pg_advisory_unlock({Key})", _name);
        }
        finally
        {
            await Connection.DisposeAsync();
        }
    }

    private static async Task<SessionLock?> AcquireAsync(NpgsqlDataSource dataSource, string name, string sql, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new SessionLock(connection, name);
            }
        }
        catch
        {
            // The lock may have been granted just before the failure (a cancelled wait): release whatever this session holds.
            await RunAsync(connection, "SELECT pg_advisory_unlock_all()", null);
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    private static async Task RunAsync(NpgsqlConnection connection, string sql, string? name)
    {
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            if (name is not null)
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            }

            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection is gone (or broken), and the lock with it: a broken connection is not reused.
        }
    }
}
