using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Bench.Dashboard;

/// <summary>
/// The overview's reads as the page does them (PayTrack's own <see cref="OverviewQueries"/>: one round trip, the window's
/// shifts summed per day and job and paid in C#, the student panel computed from them) next to the best hand-written SQL for the same figures: one round trip whose main statement
/// pays every shift with its rate of the day, computes FLSA overtime per workweek with window functions and sums the
/// five ranges in the database. Both prepared, run alternately on one connection pool, and must agree to the cent.
/// </summary>
internal static class QueryComparison
{
    private const string ZoneSql = "SELECT coalesce((SELECT time_zone FROM kronos_connections WHERE user_id = $1), $2)";

    private const string FiguresSql = """
        WITH s AS (
            SELECT sh.local_date AS d, sh.start_at, sh.job_id,
                   CASE WHEN $4 THEN sh.paid_minutes ELSE sh.worked_minutes END AS m,
                   coalesce((SELECT r.hourly_rate FROM pay_rate_changes r
                             WHERE r.user_id = $1 AND r.job_id = sh.job_id AND r.effective_from <= sh.local_date
                             ORDER BY r.effective_from DESC LIMIT 1), j.base_wage_rate, 0) AS rate
            FROM shifts sh JOIN jobs j ON j.id = sh.job_id
            WHERE sh.user_id = $1 AND sh.local_date BETWEEN $2 AND $3
        ), w AS (
            SELECT d, m, rate * m / 60.0 AS straight,
                   sum(m) OVER (PARTITION BY week ORDER BY start_at, job_id ROWS UNBOUNDED PRECEDING) AS cum,
                   sum(m) OVER (PARTITION BY week) AS week_minutes,
                   sum(rate * m / 60.0) OVER (PARTITION BY week) AS week_straight
            FROM (SELECT s.*, d - ((extract(dow FROM d)::int - $5 + 7) % 7) AS week FROM s) x
        ), p AS (
            SELECT d, m, straight + CASE WHEN ot > 0 THEN week_straight * ot / (2 * week_minutes) ELSE 0 END AS pay
            FROM (SELECT w.*, CASE WHEN $6 THEN greatest(0, least(m, cum - 2400)) ELSE 0 END AS ot FROM w) o
        )
        SELECT coalesce(sum(m) FILTER (WHERE d BETWEEN $7 AND $8), 0)::int,   round(coalesce(sum(pay) FILTER (WHERE d BETWEEN $7 AND $8), 0), 2),
               coalesce(sum(m) FILTER (WHERE d BETWEEN $9 AND $10), 0)::int,  round(coalesce(sum(pay) FILTER (WHERE d BETWEEN $9 AND $10), 0), 2),
               coalesce(sum(m) FILTER (WHERE d BETWEEN $11 AND $12), 0)::int, round(coalesce(sum(pay) FILTER (WHERE d BETWEEN $11 AND $12), 0), 2),
               coalesce(sum(m) FILTER (WHERE d BETWEEN $13 AND $14), 0)::int, round(coalesce(sum(pay) FILTER (WHERE d BETWEEN $13 AND $14), 0), 2),
               coalesce(sum(m) FILTER (WHERE d BETWEEN $15 AND $16), 0)::int, round(coalesce(sum(pay) FILTER (WHERE d BETWEEN $15 AND $16), 0), 2)
        FROM p
        """;

    private const string ProblemsSql = """
        SELECT id, job_id, local_date, start_at, status, note FROM shifts
        WHERE user_id = $1 AND status IN ('missing_out', 'anomaly') AND local_date >= $2
        ORDER BY local_date DESC, start_at DESC LIMIT 50
        """;

    private const string OlderSql = "SELECT count(*)::int FROM shifts WHERE user_id = $1 AND status IN ('missing_out', 'anomaly') AND local_date < $2";

    public sealed record Result(double PageQueriesMedianMs, double PageQueriesP95Ms, double PageTotalMedianMs, double HandMedianMs, double HandP95Ms, bool Agree, string Figures);

    public static async Task<Result> RunAsync(string connectionString, string email, int iterations)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var userId = await UserIdAsync(dataSource, email);
        var subject = new DashboardSubject(userId, IsDemo: false, FixedToday: null);
        var timecards = new TimecardOptions();
        var queries = new OverviewQueries(dataSource, new PayProfiles(dataSource, TimeProvider.System, Options.Create(new PayOptions()), Options.Create(timecards)));

        var pageQueries = new List<double>();
        var pageTotal = new List<double>();
        var hand = new List<double>();
        Overview? overview = null;
        long[] figures = [];
        for (var i = 0; i < iterations + 200; i++)
        {
            var started = Stopwatch.GetTimestamp();
            overview = await queries.LoadAsync(subject, CancellationToken.None);
            var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            started = Stopwatch.GetTimestamp();
            figures = await HandWrittenAsync(dataSource, userId, timecards.DefaultTimeZone);
            var handTime = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= 200)
            {
                pageQueries.Add(overview.QueryTime.TotalMilliseconds);
                pageTotal.Add(total);
                hand.Add(handTime);
            }
        }

        var page = new[] { overview!.Week, overview.Period, overview.Month, overview.Year, overview.NextPaid };
        var pageFigures = page.SelectMany(f => new[] { (long)f.Minutes, (long)(f.GrossPay * 100) }).ToArray();
        var agree = pageFigures.SequenceEqual(figures);
        var text = string.Join("; ", page.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Label} {f.Hours} h ${f.GrossPay}")));
        return new Result(Percentile(pageQueries, 50), Percentile(pageQueries, 95), Percentile(pageTotal, 50), Percentile(hand, 50), Percentile(hand, 95), agree, text);
    }

    /// <summary>
    /// Minutes and cents of the week, period, month, year and next payday's period. One round trip when the user has
    /// the default settings and zone (the benchmark's user): the dates are computed for those and the settings read in
    /// the same batch, then checked; a second round trip with the right dates otherwise.
    /// </summary>
    private static async Task<long[]> HandWrittenAsync(NpgsqlDataSource dataSource, string userId, string defaultZone)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var batch = new NpgsqlBatch(connection))
        {
            // The settings through their owner's statement.
            var settingsCommand = new NpgsqlBatchCommand(PaySettingsStore.SettingsSql);
            settingsCommand.Parameters.Add(new NpgsqlParameter { Value = userId });
            batch.BatchCommands.Add(settingsCommand);
            var zoneCommand = new NpgsqlBatchCommand(ZoneSql);
            zoneCommand.Parameters.Add(new NpgsqlParameter { Value = userId });
            zoneCommand.Parameters.Add(new NpgsqlParameter { Value = defaultZone });
            batch.BatchCommands.Add(zoneCommand);
            AddFigures(batch, userId, new PayOptions(), defaultZone);
            await batch.PrepareAsync();
            await using var reader = await batch.ExecuteReaderAsync();
            var (options, zone) = await ReadSettingsAsync(reader);
            await reader.NextResultAsync();
            if (options == new PayOptions() && zone == defaultZone)
            {
                return await ReadFiguresAsync(reader);
            }

            await using var again = new NpgsqlBatch(connection);
            await reader.DisposeAsync();
            AddFigures(again, userId, options, zone);
            await again.PrepareAsync();
            await using var second = await again.ExecuteReaderAsync();
            return await ReadFiguresAsync(second);
        }
    }

    private static void AddFigures(NpgsqlBatch batch, string userId, PayOptions options, string zone)
    {
        var calendar = new PayCalendar(options);
        var calculator = new PayCalculator(options, PayRateTable.Empty);
        var today = CleaningRules.LocalDate(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone));
        var period = calendar.PeriodContaining(today);
        DateRange[] ranges =
        [
            calendar.WorkweekContaining(today), period.Dates, PayCalculator.MonthOf(today), PayCalculator.YearToDate(today),
            calendar.PeriodContaining(today.AddDays(-options.PaydayOffsetDays)).Dates,
        ];
        var needed = ranges.Select(calculator.ShiftDatesNeededFor).ToList();
        var since = calendar.PeriodContaining(period.Start.AddDays(-1)).Start;

        var figures = new NpgsqlBatchCommand(FiguresSql);
        object[] values = [userId, needed.Min(r => r.Start), needed.Max(r => r.End), options.UseRoundedTimes, (int)options.WorkweekStart, options.OvertimeEnabled];
        foreach (var value in values.Concat(ranges.SelectMany(r => new object[] { r.Start, r.End })))
        {
            figures.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        batch.BatchCommands.Add(figures);
        foreach (var sql in new[] { ProblemsSql, OlderSql })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = userId });
            command.Parameters.Add(new NpgsqlParameter { Value = since });
            batch.BatchCommands.Add(command);
        }
    }

    private static async Task<long[]> ReadFiguresAsync(NpgsqlDataReader result)
    {
        await result.ReadAsync();
        var numbers = new long[10];
        for (var i = 0; i < 5; i++)
        {
            numbers[2 * i] = result.GetInt32(2 * i);
            numbers[(2 * i) + 1] = (long)(result.GetDecimal((2 * i) + 1) * 100);
        }

        await result.NextResultAsync();
        while (await result.ReadAsync())
        {
        }

        await result.NextResultAsync();
        await result.ReadAsync();
        return numbers;
    }

    private static async Task<(PayOptions Options, string Zone)> ReadSettingsAsync(NpgsqlDataReader reader)
    {
        var options = await reader.ReadAsync() ? PaySettingsStore.ReadSettings(reader, 0)! : new PayOptions();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return (options, reader.GetString(0));
    }

    private static async Task<string> UserIdAsync(NpgsqlDataSource dataSource, string email)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM identity_users WHERE normalized_email = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = email.ToUpperInvariant() });
        return (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No user {email}.");
    }

    private static double Percentile(List<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
