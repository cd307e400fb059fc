using Npgsql;

namespace PayTrack.Web.Timecards;

/// <summary>
/// Plain Npgsql connections on the DbContext's database, for the set-based SQL of the ingest
/// (binary COPY, temporary tables, advisory locks) that EF Core does not express.
/// </summary>
public sealed class TimecardDatabase(NpgsqlDataSource dataSource)
{
    // The process's one data source (Data/DataExtensions): a connection string read back from a DbContext built on a
    // data source carries no password, so connections are opened from the source itself.
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => await dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>The statement of <see cref="LockUserAsync"/>, with the user as <c>@user</c>, for a batch of statements.</summary>
    internal const string LockUserSql = "SELECT pg_advisory_xact_lock(hashtextextended('paytrack.timecards:' || @user, 0))";

    /// <summary>
    /// Serializes the writers of one user's timecard (ingests, imports, manual edits) until the transaction ends;
    /// different users proceed in parallel.
    /// </summary>
    public static async Task LockUserAsync(NpgsqlConnection connection, string userId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(LockUserSql, connection);
        command.Parameters.AddWithValue("user", userId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
