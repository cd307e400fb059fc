using System.Globalization;
using Npgsql;
using PayTrack.Web.Dashboard;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Pay;

namespace PayTrack.Web.Notion;

/// <summary>
/// What a user's Notion databases should hold now: one page per shift and one per workweek from the first shift's
/// week to the last one's, with the pay PayTrack computes (the user's settings, rates and overtime rule). Read from
/// the database and computed in memory; no call to Notion.
/// </summary>
public sealed class NotionDesiredState(NpgsqlDataSource dataSource, PayProfiles profiles)
{
    private const string ShiftsSql = """
        SELECT id, job_id, local_date, start_at, end_at, worked_minutes, paid_minutes,
               rounded_start_at IS NOT NULL AND rounded_end_at IS NOT NULL, status, source
        FROM shifts
        WHERE user_id = $1
        ORDER BY local_date, start_at, id
        """;

    private sealed record Row(long Id, long JobId, DateOnly Date, WorkedShift Worked, ShiftStatus Status, ShiftSource Source);

    public async Task<IReadOnlyList<DesiredPage>> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var profile = await profiles.LoadAsync(connection, new DashboardSubject(userId, IsDemo: false, FixedToday: null), cancellationToken);
        var rows = await ReadShiftsAsync(connection, userId, profile, cancellationToken);
        return Compute(profile, rows);
    }

    private static async Task<List<Row>> ReadShiftsAsync(NpgsqlConnection connection, string userId, PayProfile profile, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ShiftsSql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Row>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var start = reader.GetFieldValue<DateTimeOffset>(3);
            DateTimeOffset? end = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4);
            // An anomaly whose out-punch is before its in-punch counts no time, as on the dashboard.
            var payEnd = end < start ? start : end;
            var worked = new WorkedShift(profile.KeyOf(reader.GetInt64(1)), reader.GetFieldValue<DateOnly>(2), start, payEnd,
                Math.Max(0, reader.GetInt32(5)), reader.GetBoolean(7) ? Math.Max(0, reader.GetInt32(6)) : null);
            rows.Add(new Row(reader.GetInt64(0), reader.GetInt64(1), worked.LocalDate, worked,
                DbNames.Parse<ShiftStatus>(reader.GetString(8)), DbNames.Parse<ShiftSource>(reader.GetString(9))));
        }

        return rows;
    }

    private static List<DesiredPage> Compute(PayProfile profile, List<Row> rows)
    {
        var pages = new List<DesiredPage>(rows.Count + 60);
        if (rows.Count == 0)
        {
            return pages;
        }

        var calculator = profile.Calculator;
        var byWorked = rows.ToDictionary<Row, WorkedShift>(r => r.Worked, ReferenceEqualityComparer.Instance);
        var byWeek = rows.ToLookup(r => calculator.Calendar.WorkweekContaining(r.Date).Start);
        var weeks = calculator.Calendar.WorkweeksOverlapping(new DateRange(rows[0].Date, rows[^1].Date));
        foreach (var week in weeks)
        {
            var pay = calculator.Workweek(week.Start, byWeek[week.Start].Select(r => r.Worked));
            foreach (var share in pay.Shifts)
            {
                var row = byWorked[share.Shift];
                pages.Add(ShiftPage(profile, row, share));
            }

            var cap = calculator.CapFor(pay);
            decimal? underCap = cap.Status == CapStatus.Off ? null : cap.CapHours - cap.HoursWorked;
            var period = calculator.Calendar.PeriodContaining(week.Start);
            pages.Add(NotionSchema.Week(week.Start, PayRounding.ToHours(pay.Minutes), PayRounding.ToHours(pay.OvertimeMinutes),
                PayRounding.ToCents(pay.GrossPay), underCap,
                string.Create(CultureInfo.InvariantCulture, $"{period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd}, paid {period.Payday:yyyy-MM-dd}")));
        }

        return pages;
    }

    private static DesiredPage ShiftPage(PayProfile profile, Row row, ShiftPay share)
    {
        var status = row.Status switch
        {
            ShiftStatus.MissingOut => "missing out-punch",
            ShiftStatus.Anomaly => "anomaly",
            _ => "ok",
        };
        var job = profile.Job(row.JobId)?.Label ?? profile.JobLabel(share.JobKey);
        return NotionSchema.Shift(row.Id, job, row.Date, profile.LocalTime(row.Worked.StartUtc),
            row.Worked.EndUtc is { } end ? profile.LocalTime(end) : null,
            PayRounding.ToHours(row.Worked.ActualMinutes), PayRounding.ToHours(share.Minutes), PayRounding.ToCents(share.GrossPay),
            status, DbNames.Of(row.Source));
    }
}
