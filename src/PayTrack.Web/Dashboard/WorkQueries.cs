using Npgsql;
using PayTrack.Web.Pay;

namespace PayTrack.Web.Dashboard;

/// <summary>
/// A user's shifts as pay reads them, from one index range scan on (user_id, local_date) over exactly the dates needed.
/// </summary>
public static class WorkQueries
{
    /// <summary>Every shift, for figures that split by job within a day (pay by job, the week's timeline).</summary>
    public const string PerShiftSql = """
        SELECT job_id, local_date, start_at, end_at, worked_minutes, paid_minutes,
               rounded_start_at IS NOT NULL AND rounded_end_at IS NOT NULL
        FROM shifts
        WHERE user_id = $1 AND local_date BETWEEN $2 AND $3
        """;

    /// <summary>
    /// One row per day and job, summed in the database. Totals per day, workweek, pay period, month and year are
    /// exactly those of the single shifts: rates depend only on job and day, and days keep their order (every
    /// shift of a day starts on that day), so overtime falls on the same days. Both sums come back, paid (the
    /// employer's rounded times where known) and worked, so the query can run before the user's settings are read.
    /// </summary>
    public const string PerDayAndJobSql = """
        SELECT job_id, local_date, min(start_at), sum(paid_minutes)::int, sum(worked_minutes)::int
        FROM shifts
        WHERE user_id = $1 AND local_date BETWEEN $2 AND $3
        GROUP BY local_date, job_id
        """;

    public static NpgsqlBatchCommand PerShift(string userId, DateRange dates) =>
        Command(PerShiftSql, userId, dates);

    public static NpgsqlBatchCommand PerDayAndJob(string userId, DateRange dates) => Command(PerDayAndJobSql, userId, dates);

    public static async Task<IReadOnlyList<WorkedShift>> ReadPerShiftAsync(NpgsqlDataReader reader, PayProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(profile);
        var shifts = new List<WorkedShift>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var start = reader.GetFieldValue<DateTimeOffset>(2);
            DateTimeOffset? end = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3);
            // An anomaly whose out-punch is before its in-punch counts no time; keep it valid for pay.
            if (end < start)
            {
                end = start;
            }

            // Minutes stored before PayTrack bounded them (rounded times years apart, out before in) count as none.
            var rounded = reader.GetBoolean(6);
            shifts.Add(new WorkedShift(profile.KeyOf(reader.GetInt64(0)), reader.GetFieldValue<DateOnly>(1), start, end,
                Bounded(reader.GetInt32(4)), rounded ? Bounded(reader.GetInt32(5)) : null));
        }

        return shifts;
    }

    /// <summary>Each day-and-job row as one shift of its summed minutes, starting with the day's first punch of the job.</summary>
    public static async Task<IReadOnlyList<WorkedShift>> ReadPerDayAndJobAsync(NpgsqlDataReader reader, PayProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(profile);
        var shifts = new List<WorkedShift>();
        var column = profile.Options.UseRoundedTimes ? 3 : 4;
        while (await reader.ReadAsync(cancellationToken))
        {
            var start = reader.GetFieldValue<DateTimeOffset>(2);
            var minutes = Bounded(reader.GetInt32(column));
            shifts.Add(new WorkedShift(profile.KeyOf(reader.GetInt64(0)), reader.GetFieldValue<DateOnly>(1), start, start.AddMinutes(minutes), minutes, null));
        }

        return shifts;
    }

    /// <summary>A day holds at most 7 days of minutes (a punch may last a week); anything else is a stored error, counted as 0.</summary>
    private static int Bounded(int minutes) => minutes is >= 0 and <= 7 * 24 * 60 * 8 ? minutes : 0;

    private static NpgsqlBatchCommand Command(string sql, string userId, DateRange dates)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = dates.Start });
        command.Parameters.Add(new NpgsqlParameter { Value = dates.End });
        return command;
    }
}
