using Npgsql;

namespace PayTrack.Web.Dashboard;

/// <summary>
/// The dashboard runs the same few statements on every page load. Prepared, PostgreSQL plans each once per pooled
/// connection instead of on every execution (planning cost more than running them, measured in bench/dashboard);
/// preparing a statement that connection already prepared is free, Npgsql just reuses it.
/// </summary>
internal static class Prepared
{
    public static async Task<NpgsqlDataReader> ExecuteAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await batch.PrepareAsync(cancellationToken);
        return await batch.ExecuteReaderAsync(cancellationToken);
    }
}
