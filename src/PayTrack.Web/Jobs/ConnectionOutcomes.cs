using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Jobs;

/// <summary>
/// Writes what a sync learnt about a connection: working, failing (with the reason), or rejected by Kronos. Rejected
/// connections are left alone by update-punches until the user saves new credentials, because repeated bad sign-ins
/// could lock the user's real Kronos account.
/// </summary>
public sealed class ConnectionOutcomes(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public Task SucceededAsync(KronosConnection used, CancellationToken cancellationToken) =>
        WriteAsync(used, "ok", null, cancellationToken);

    public Task FailedAsync(KronosConnection used, KronosFailure failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var rejected = failure.Kind is KronosFailureKind.InvalidCredentials or KronosFailureKind.SingleSignOnRequired;
        return WriteAsync(used, rejected ? "credentials_rejected" : "failing", failure.Message, cancellationToken);
    }

    public Task FailedAsync(KronosConnection used, string message, CancellationToken cancellationToken) =>
        WriteAsync(used, "failing", message, cancellationToken);

    private async Task WriteAsync(KronosConnection used, string status, string? error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(used);
        // Only the connection this sync used: credentials saved meanwhile (a new encrypted password, which differs
        // on every save) keep their fresh state instead of inheriting the old password's rejection.
        await using var command = dataSource.CreateCommand("""
            UPDATE kronos_connections
            SET status = @status, last_error = @error,
                last_error_at = CASE WHEN @error IS NULL THEN last_error_at ELSE @now END,
                last_successful_sync_at = CASE WHEN @error IS NULL THEN @now ELSE last_successful_sync_at END
            WHERE user_id = @user AND protected_password = @password AND username = @username AND base_url = @url
            """);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value });
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        command.Parameters.AddWithValue("user", used.UserId);
        command.Parameters.AddWithValue("password", used.ProtectedPassword);
        command.Parameters.AddWithValue("username", used.Username);
        command.Parameters.AddWithValue("url", used.BaseUrl);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
