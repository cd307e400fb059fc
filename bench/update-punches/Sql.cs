using Npgsql;

namespace PayTrack.Bench.UpdatePunches;

internal static class Sql
{
    public static async Task ExecAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<IReadOnlyDictionary<string, int>> CountsAsync(string connectionString, string sql)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.IsDBNull(0) ? "(none)" : reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return counts;
    }

    public static async Task PrintTopStatementsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT round(total_exec_time)::bigint, calls, round((total_exec_time / calls)::numeric, 3)::float8, left(regexp_replace(query, '\s+', ' ', 'g'), 110)
            FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Console.WriteLine($"  {reader.GetInt64(0),8} ms {reader.GetInt64(1),8} calls {reader.GetDouble(2),8:F3} ms  {reader.GetString(3)}");
        }
    }

    /// <summary>Polls a boolean query until it is true, printing a progress count every five seconds.</summary>
    public static async Task WaitAsync(string connectionString, string sql, TimeSpan timeout, string? progress = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var lastPrint = DateTime.UtcNow;
        while (!await ScalarAsync<bool>(connectionString, sql))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting for: " + sql);
            }

            if (progress is not null && DateTime.UtcNow - lastPrint > TimeSpan.FromSeconds(5))
            {
                Console.WriteLine($"  ... {await ScalarAsync<long>(connectionString, progress):N0} users done");
                lastPrint = DateTime.UtcNow;
            }

            await Task.Delay(200);
        }
    }
}
