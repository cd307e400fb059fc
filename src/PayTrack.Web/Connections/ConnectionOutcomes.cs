using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Connections;

/// <summary>An UPDATE of one connection's state, to run on its own or inside another statement.</summary>
public sealed record ConnectionUpdate(string Sql, IReadOnlyList<NpgsqlParameter> Parameters);

/// <summary>
/// Writes what a sync learnt about a connection: working, failing (with the reason), or rejected by Kronos. Rejected
/// connections are left alone by update-punches until the user saves new credentials, because repeated bad sign-ins
/// could lock the user's real Kronos account.
/// </summary>
public sealed class ConnectionOutcomes(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public Task SucceededAsync(KronosConnection used, CancellationToken cancellationToken) =>
        RunAsync(Update(used, null, null), cancellationToken);

    public Task FailedAsync(KronosConnection used, KronosFailure failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return RunAsync(Update(used, failure, null), cancellationToken);
    }

    public Task FailedAsync(KronosConnection used, string message, CancellationToken cancellationToken) =>
        RunAsync(Update(used, null, message), cancellationToken);

    /// <summary>
    /// The connection's new state: ok without a failure or message; rejected for a wrong password or single sign-on;
    /// failing otherwise. Only the connection the sync used is updated: credentials saved meanwhile (a new encrypted
    /// password, which differs on every save) keep their fresh state instead of inheriting the old one's rejection.
    /// </summary>
    public ConnectionUpdate Update(KronosConnection used, KronosFailure? failure, string? message)
    {
        ArgumentNullException.ThrowIfNull(used);
        var status = failure is { Kind: KronosFailureKind.InvalidCredentials or KronosFailureKind.SingleSignOnRequired } ? "credentials_rejected"
            : failure is not null || message is not null ? "failing"
            : "ok";
        var error = failure?.Message ?? message;
        return new ConnectionUpdate("""
            UPDATE kronos_connections
            SET status = @c_status, last_error = @c_error,
                last_error_at = CASE WHEN @c_error IS NULL THEN last_error_at ELSE @c_now END,
                last_successful_sync_at = CASE WHEN @c_error IS NULL THEN @c_now ELSE last_successful_sync_at END
            WHERE user_id = @c_user AND protected_password = @c_password AND username = @c_username AND base_url = @c_url
            """,
            [
                new NpgsqlParameter("c_status", status),
                new NpgsqlParameter("c_error", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value },
                new NpgsqlParameter("c_now", clock.GetUtcNow()),
                new NpgsqlParameter("c_user", used.UserId),
                new NpgsqlParameter("c_password", used.ProtectedPassword),
                new NpgsqlParameter("c_username", used.Username),
                new NpgsqlParameter("c_url", used.BaseUrl),
            ]);
    }

    private async Task RunAsync(ConnectionUpdate update, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(update.Sql);
        command.Parameters.AddRange(update.Parameters.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
