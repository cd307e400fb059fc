using System.Net;
using Npgsql;
using PayTrack.Tests.Dashboard;
using PayTrack.Tests.Infrastructure;

namespace PayTrack.Tests.Security;

/// <summary>
/// Issue 10, point 5: rows stored before PayTrack checked values (an absurd wage, a negative raise, rounded times years
/// apart, an out-punch before the in-punch) show as problems; no page or API answer of the account fails.
/// </summary>
public sealed class BadStoredRowsTests(DashboardAppFactory app) : IClassFixture<DashboardAppFactory>
{
    [Theory]
    [InlineData("35000")]
    [InlineData("-14.2")]
    [InlineData("1e15")]
    public async Task AnAccountWithAbsurdStoredValuesStillAnswersEveryPage(string wage)
    {
        var (user, client) = await app.SignedInAsync($"bad-rows-{wage.Replace('.', '_')}@example.edu");
        await app.ImportSeedBackupAsync(user);
        await ExecuteAsync(user, $"UPDATE jobs SET base_wage_rate = {wage} WHERE user_id = @user AND employee_id = 10234");
        await ExecuteAsync(user, """
            INSERT INTO pay_rate_changes (user_id, job_id, effective_from, hourly_rate, created_at)
            SELECT user_id, id, DATE '2024-09-01', -14.2, now() FROM jobs WHERE user_id = @user AND employee_id = 20417
            """);
        await ExecuteAsync(user, """
            UPDATE shifts SET rounded_end_at = start_at + interval '8 years', paid_minutes = 4204800
            WHERE id = (SELECT id FROM shifts WHERE user_id = @user AND local_date BETWEEN '2024-12-01' AND '2024-12-07' ORDER BY id LIMIT 1)
            """);
        await ExecuteAsync(user, """
            UPDATE shifts SET end_at = start_at - interval '3 hours', worked_minutes = -180, paid_minutes = -180
            WHERE id = (SELECT id FROM shifts WHERE user_id = @user AND local_date BETWEEN '2024-12-08' AND '2024-12-11' ORDER BY id LIMIT 1)
            """);

        foreach (var page in new[]
        {
            "/", "/shifts", "/shifts?from=2024-01-01&to=2024-12-31", "/charts", "/settings",
            "/api/summary", "/api/summary?from=2023-01-01&to=2024-12-31", "/api/shifts?from=2024-12-01&to=2024-12-11", "/export/shifts.csv",
        })
        {
            using var response = await client.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {(int)response.StatusCode}");
        }

        var summary = await client.GetStringAsync("/api/summary?from=2024-12-01&to=2024-12-07");
        Assert.Contains("jobs_without_rate", summary, StringComparison.Ordinal);
    }

    private async Task ExecuteAsync(string user, string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("user", user);
        await command.ExecuteNonQueryAsync();
    }
}
