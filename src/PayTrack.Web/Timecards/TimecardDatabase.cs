using Microsoft.EntityFrameworkCore;
using Npgsql;
using PayTrack.Web.Data;

namespace PayTrack.Web.Timecards;

/// <summary>
/// Plain Npgsql connections on the DbContext's database, for the set-based SQL of the ingest
/// (binary COPY, temporary tables, advisory locks) that EF Core does not express.
/// </summary>
public sealed class TimecardDatabase(IDbContextFactory<PayTrackDbContext> contexts)
{
    private string? _connectionString;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connectionString is null)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            _connectionString = db.Database.GetConnectionString() ?? throw new InvalidOperationException("The database has no connection string.");
        }

        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Serializes the writers of one user's timecard (ingests, imports, manual edits) until the transaction ends;
    /// different users proceed in parallel.
    /// </summary>
    public static async Task LockUserAsync(NpgsqlConnection connection, string userId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('paytrack.timecards:' || @user, 0))", connection);
        command.Parameters.AddWithValue("user", userId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
