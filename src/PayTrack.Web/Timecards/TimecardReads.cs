using Npgsql;
using NpgsqlTypes;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Pay;

namespace PayTrack.Web.Timecards;

/// <summary>A shift to fix: a missed out-punch or an anomaly, its start local to the user.</summary>
public sealed record ProblemShift(long Id, string Job, DateOnly Date, DateTimeOffset LocalStart, ShiftStatus Status, string? Note);

/// <summary>A shift's job, day, times and minutes as stored (<see cref="TimecardReads.PerShift"/>); <c>Rounded</c> says whether the employer's rounded times are known.</summary>
public readonly record struct ShiftMinutes(long JobId, DateOnly Date, DateTimeOffset Start, DateTimeOffset? End, int Worked, int Paid, bool Rounded);

/// <summary>One shift as the calendar shows it.</summary>
public sealed record FeedShift(long Id, string JobLabel, DateTimeOffset Start, DateTimeOffset? End, ShiftStatus Status, string? Note, int PaidMinutes);

/// <summary>A shift as pay counts it, with its id, job, status and source (the Notion pages).</summary>
public sealed record PaidShiftRow(long Id, long JobId, WorkedShift Worked, ShiftStatus Status, ShiftSource Source)
{
    public DateOnly Date => Worked.LocalDate;
}

/// <summary>
/// Every SQL read of the timecard tables (<c>jobs</c>, <c>shifts</c>) made for another folder: the dashboard's pages,
/// the pay API and report, the calendar feed, the Notion sync, the demo account (decision 0030). A page that reads
/// everything in one round trip (decision 0013) adds these statements to its batch and reads their results here; the
/// computation (pay, charts) stays with the page. Every statement filters on the user. Job keys come from the caller
/// (<c>keyOf</c>: the job's id to its key), which knows the user's jobs.
/// </summary>
public static class TimecardReads
{
    /// <summary>Each job, by <c>user_id</c>: <c>id</c>, <c>employee_id</c>, <c>pay_rule_id</c>, <c>department</c>, <c>base_wage_rate</c>; a relation another statement joins (PostgreSQL inlines it).</summary>
    public const string JobsSql = "SELECT user_id, id, employee_id, pay_rule_id, department, base_wage_rate FROM jobs";

    /// <summary>
    /// Every shift of the dates, for figures that split by job within a day (pay by job, the week's timeline); one index
    /// range scan on (user_id, local_date), which gives the day order <see cref="PerDayAndJob"/> sums fastest at no cost.
    /// </summary>
    private const string PerShiftSql = """
        SELECT job_id, local_date, start_at, end_at, worked_minutes, paid_minutes,
               rounded_start_at IS NOT NULL AND rounded_end_at IS NOT NULL
        FROM shifts
        WHERE user_id = $1 AND local_date BETWEEN $2 AND $3
        ORDER BY local_date
        """;

    /// <summary>The minutes of each day of the dates, paid ($4) or worked, summed in the database (the charts' heatmap).</summary>
    private const string DayMinutesSql = """
        SELECT local_date, sum(CASE WHEN $4 THEN paid_minutes ELSE worked_minutes END)::int
        FROM shifts
        WHERE user_id = $1 AND local_date BETWEEN $2 AND $3
        GROUP BY local_date
        """;

    /// <summary>
    /// The 50 newest problems from $2 on (part 0), and the number of problems per day over the user's whole history
    /// (part 1), in one statement; the partial index ix_shifts_problems holds only these rows.
    /// </summary>
    private const string ProblemsSql = """
        (SELECT 0 AS part, id, job_id, local_date, start_at, status, note, 1 AS n
         FROM shifts
         WHERE user_id = $1 AND status IN ('missing_out', 'anomaly') AND local_date >= $2
         ORDER BY local_date DESC, start_at DESC
         LIMIT 50)
        UNION ALL
        (SELECT 1, NULL, NULL, local_date, NULL, NULL, NULL, count(*)::int
         FROM shifts
         WHERE user_id = $1 AND status IN ('missing_out', 'anomaly')
         GROUP BY local_date)
        """;

    /// <summary>Every column of a shift, in the order <see cref="ReadShift"/> reads them.</summary>
    private const string ShiftColumns = """
        id, user_id, job_id, raw_punch_id, local_date, start_at, end_at, time_zone, rounded_start_at, rounded_end_at,
        worked_minutes, paid_minutes, status, note, edited, source, user_note, updated_at
        """;

    private const string ListFilter = """
        WHERE user_id = $1 AND local_date BETWEEN $2 AND $3 AND ($4::bigint IS NULL OR job_id = $4)
          AND (NOT $5 OR status IN ('missing_out', 'anomaly'))
        """;

    /// <summary>The shifts with what a pay stub's check needs: whether the user edited them, and when they last changed.</summary>
    private const string StubShiftsSql = """
        SELECT job_id, local_date, start_at, end_at, worked_minutes, paid_minutes,
               rounded_start_at IS NOT NULL AND rounded_end_at IS NOT NULL, edited, updated_at
        FROM shifts
        WHERE user_id = $1 AND local_date BETWEEN $2 AND $3
        """;

    private const string FeedSql = """
        SELECT s.id, s.start_at, s.end_at, s.status, s.note, s.paid_minutes, j.department, j.employee_id, j.pay_rule_id
        FROM shifts s JOIN jobs j ON j.id = s.job_id AND j.user_id = s.user_id
        WHERE s.user_id = $1 AND s.local_date >= $2
        ORDER BY s.start_at
        LIMIT 10000
        """;

    private const string PaidShiftsSql = """
        SELECT id, job_id, local_date, start_at, end_at, worked_minutes, paid_minutes,
               rounded_start_at IS NOT NULL AND rounded_end_at IS NOT NULL, status, source
        FROM shifts
        WHERE user_id = $1
        ORDER BY local_date, start_at, id
        """;

    public static NpgsqlBatchCommand PerShift(string userId, DateRange dates) => UserAndDates(PerShiftSql, userId, dates);

    public static NpgsqlBatchCommand DayMinutes(string userId, DateRange dates, bool paid)
    {
        var command = UserAndDates(DayMinutesSql, userId, dates);
        command.Parameters.Add(new NpgsqlParameter { Value = paid });
        return command;
    }

    public static NpgsqlBatchCommand Problems(string userId, DateOnly since)
    {
        var command = new NpgsqlBatchCommand(ProblemsSql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        return command;
    }

    /// <summary>Reads the result of <see cref="PerShift"/> as stored: both minutes of each shift, for <see cref="Worked"/> and <see cref="PerDayAndJob"/>.</summary>
    public static async Task<IReadOnlyList<ShiftMinutes>> ReadShiftMinutesAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<ShiftMinutes>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var (start, end) = WorkedSpan(reader);
            rows.Add(new ShiftMinutes(reader.GetInt64(0), reader.GetFieldValue<DateOnly>(1), start, end, reader.GetInt32(4), reader.GetInt32(5), reader.GetBoolean(6)));
        }

        return rows;
    }

    /// <summary>Reads the result of <see cref="PerShift"/>: each shift as pay counts it.</summary>
    public static async Task<IReadOnlyList<WorkedShift>> ReadPerShiftAsync(NpgsqlDataReader reader, Func<long, string> keyOf, CancellationToken cancellationToken) =>
        Worked(await ReadShiftMinutesAsync(reader, cancellationToken), keyOf);

    /// <summary>Each shift as pay counts it: the minutes worked, and the minutes paid where the employer's rounded times are known.</summary>
    public static IReadOnlyList<WorkedShift> Worked(IEnumerable<ShiftMinutes> rows, Func<long, string> keyOf)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(keyOf);

        // Minutes stored before PayTrack bounded them (rounded times years apart, out before in) count as none.
        return rows.Select(r => new WorkedShift(keyOf(r.JobId), r.Date, r.Start, r.End, Bounded(r.Worked), r.Rounded ? Bounded(r.Paid) : null)).ToList();
    }

    /// <summary>
    /// One shift per day and job, of the day's summed minutes (paid, the employer's rounded times where known, or
    /// worked), starting with the day's first punch of the job, by day. Totals per day, workweek, pay period, month and
    /// year are exactly those of the single shifts: rates depend only on job and day, and days keep their order (every
    /// shift of a day starts on that day), so overtime falls on the same days.
    /// </summary>
    public static IReadOnlyList<WorkedShift> PerDayAndJob(IEnumerable<ShiftMinutes> rows, Func<long, string> keyOf, bool paidMinutes)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(keyOf);
        // The overview's rows arrive in day order (its statement orders by day, free on the index); others are put in
        // day order first, by a stable sort, so ties keep the order in which they came.
        var inDayOrder = rows is IReadOnlyList<ShiftMinutes> list && InDateOrder(list) ? list : rows.OrderBy(r => r.Date).ToList();
        return PerDayAndJobByDay(inDayOrder, keyOf, paidMinutes);
    }

    private static bool InDateOrder(IReadOnlyList<ShiftMinutes> rows)
    {
        for (var i = 1; i < rows.Count; i++)
        {
            if (rows[i].Date < rows[i - 1].Date)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <see cref="PerDayAndJob"/> of shifts in day order: each day's jobs summed on their own, in a list as short as the
    /// day's jobs, then put in order of first punch (ties as they first appeared). The overview runs this on every
    /// render, over a year of shifts.
    /// </summary>
    private static List<WorkedShift> PerDayAndJobByDay(IReadOnlyList<ShiftMinutes> rows, Func<long, string> keyOf, bool paidMinutes)
    {
        var shifts = new List<WorkedShift>(rows.Count);
        var day = new List<(long JobId, DateTimeOffset Start, long Minutes)>();
        for (var i = 0; i < rows.Count;)
        {
            var date = rows[i].Date;
            day.Clear();
            for (; i < rows.Count && rows[i].Date == date; i++)
            {
                var r = rows[i];
                var minutes = (long)(paidMinutes ? r.Paid : r.Worked);
                var at = 0;
                while (at < day.Count && day[at].JobId != r.JobId)
                {
                    at++;
                }

                if (at == day.Count)
                {
                    day.Add((r.JobId, r.Start, minutes));
                }
                else
                {
                    var job = day[at];
                    day[at] = (job.JobId, r.Start < job.Start ? r.Start : job.Start, job.Minutes + minutes);
                }
            }

            // A stable insertion sort: a day has a job or two.
            for (var j = 1; j < day.Count; j++)
            {
                var job = day[j];
                var k = j - 1;
                for (; k >= 0 && day[k].Start > job.Start; k--)
                {
                    day[k + 1] = day[k];
                }

                day[k + 1] = job;
            }

            foreach (var job in day)
            {
                var minutes = Bounded(job.Minutes);
                shifts.Add(new WorkedShift(keyOf(job.JobId), date, job.Start, job.Start.AddMinutes(minutes), minutes, null));
            }
        }

        return shifts;
    }

    /// <summary>Reads the result of <see cref="DayMinutes"/>.</summary>
    public static async Task<IReadOnlyDictionary<DateOnly, int>> ReadDayMinutesAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var days = new Dictionary<DateOnly, int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            days[reader.GetFieldValue<DateOnly>(0)] = reader.GetInt32(1);
        }

        return days;
    }

    /// <summary>
    /// Reads the result of <see cref="Problems"/>: the newest problems (in no order), named by <paramref name="jobLabel"/>
    /// and local to <paramref name="zone"/>, and the number of problems per day.
    /// </summary>
    public static async Task<(List<ProblemShift> Problems, List<(DateOnly Date, int Count)> PerDay)> ReadProblemsAsync(
        NpgsqlDataReader reader, Func<long, string> jobLabel, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(jobLabel);
        var problems = new List<ProblemShift>();
        var counts = new List<(DateOnly Date, int Count)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetInt32(0) == 1)
            {
                counts.Add((reader.GetFieldValue<DateOnly>(3), reader.GetInt32(7)));
                continue;
            }

            problems.Add(new ProblemShift(reader.GetInt64(1), jobLabel(reader.GetInt64(2)), reader.GetFieldValue<DateOnly>(3),
                TimeZoneInfo.ConvertTime(reader.GetFieldValue<DateTimeOffset>(4), zone), DbNames.Parse<ShiftStatus>(reader.GetString(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return (problems, counts);
    }

    /// <summary>
    /// Adds the shifts page's two statements: how many shifts match (dates either end open, one job or all, problems
    /// only or all), and one page of them, newest first. <see cref="ReadListAsync"/> reads them.
    /// </summary>
    public static void AddList(NpgsqlBatch batch, string userId, DateOnly? from, DateOnly? to, long? jobId, bool problemsOnly, int limit, int offset)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.BatchCommands.Add(Filtered($"SELECT count(*)::int FROM shifts {ListFilter}", userId, from, to, jobId, problemsOnly));
        var list = Filtered($"SELECT {ShiftColumns} FROM shifts {ListFilter} ORDER BY local_date DESC, start_at DESC, id DESC LIMIT $6 OFFSET $7", userId, from, to, jobId, problemsOnly);
        list.Parameters.Add(new NpgsqlParameter { Value = limit });
        list.Parameters.Add(new NpgsqlParameter { Value = offset });
        batch.BatchCommands.Add(list);
    }

    /// <summary>Reads the results of <see cref="AddList"/>; the reader is then at the end of the last of them.</summary>
    public static async Task<(int Total, List<Shift> Shifts)> ReadListAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken);
        var shifts = new List<Shift>();
        while (await reader.ReadAsync(cancellationToken))
        {
            shifts.Add(ReadShift(reader));
        }

        return (total, shifts);
    }

    /// <summary>One shift of the user; null when it is not theirs or does not exist.</summary>
    public static async Task<Shift?> FindAsync(NpgsqlDataSource dataSource, string userId, long shiftId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand($"SELECT {ShiftColumns} FROM shifts WHERE id = $1 AND user_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = shiftId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadShift(reader) : null;
    }

    /// <summary>The shifts of the dates as a pay stub's check reads them; the day a shift last changed is local to <paramref name="zone"/>.</summary>
    public static async Task<IReadOnlyList<StubShift>> StubShiftsAsync(NpgsqlDataSource dataSource, string userId, DateRange dates, Func<long, string> keyOf, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(keyOf);
        await using var command = dataSource.CreateCommand(StubShiftsSql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = dates.Start });
        command.Parameters.Add(new NpgsqlParameter { Value = dates.End });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var shifts = new List<StubShift>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var (start, end) = WorkedSpan(reader);

            var worked = new WorkedShift(keyOf(reader.GetInt64(0)), reader.GetFieldValue<DateOnly>(1), start, end,
                Math.Max(reader.GetInt32(4), 0), reader.GetBoolean(6) ? Math.Max(reader.GetInt32(5), 0) : null);
            shifts.Add(new StubShift(worked, reader.GetBoolean(7), CleaningRules.LocalDate(reader.GetFieldValue<DateTimeOffset>(8), zone)));
        }

        return shifts;
    }

    /// <summary>The calendar feed's shifts, named by their job: those of local dates from <paramref name="since"/> on, by start, at most 10,000.</summary>
    public static async Task<IReadOnlyList<FeedShift>> FeedShiftsAsync(NpgsqlDataSource dataSource, string userId, DateOnly since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(FeedSql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var shifts = new List<FeedShift>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var label = JobKeys.Label(reader.GetInt64(7), reader.GetInt64(8), reader.IsDBNull(6) ? null : reader.GetString(6));
            shifts.Add(new FeedShift(reader.GetInt64(0), label, reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), DbNames.Parse<ShiftStatus>(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5)));
        }

        return shifts;
    }

    /// <summary>Every shift of the user as pay counts it, by date and start (the Notion pages).</summary>
    public static async Task<IReadOnlyList<PaidShiftRow>> PaidShiftsAsync(NpgsqlConnection connection, string userId, Func<long, string> keyOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyOf);
        await using var command = new NpgsqlCommand(PaidShiftsSql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<PaidShiftRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var start = reader.GetFieldValue<DateTimeOffset>(3);
            DateTimeOffset? end = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4);
            // An anomaly whose out-punch is before its in-punch counts no time, as on the dashboard.
            var payEnd = end < start ? start : end;
            var worked = new WorkedShift(keyOf(reader.GetInt64(1)), reader.GetFieldValue<DateOnly>(2), start, payEnd,
                Math.Max(0, reader.GetInt32(5)), reader.GetBoolean(7) ? Math.Max(0, reader.GetInt32(6)) : null);
            rows.Add(new PaidShiftRow(reader.GetInt64(0), reader.GetInt64(1), worked,
                DbNames.Parse<ShiftStatus>(reader.GetString(8)), DbNames.Parse<ShiftSource>(reader.GetString(9))));
        }

        return rows;
    }

    /// <summary>Whether the user has any shift.</summary>
    public static async Task<bool> AnyShiftAsync(NpgsqlConnection connection, string userId, CancellationToken cancellationToken)
    {
        await using var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM shifts WHERE user_id = @user)", connection);
        any.Parameters.AddWithValue("user", userId);
        return (bool)(await any.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A day holds at most 7 days of minutes (a punch may last a week); anything else is a stored error, counted as 0.</summary>
    private static int Bounded(long minutes) => minutes is >= 0 and <= 7 * 24 * 60 * 8 ? (int)minutes : 0;

    private static Shift ReadShift(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        UserId = reader.GetString(1),
        JobId = reader.GetInt64(2),
        RawPunchId = reader.IsDBNull(3) ? null : reader.GetInt64(3),
        LocalDate = reader.GetFieldValue<DateOnly>(4),
        StartAt = reader.GetFieldValue<DateTimeOffset>(5),
        EndAt = Instant(reader, 6),
        TimeZone = reader.GetString(7),
        RoundedStartAt = Instant(reader, 8),
        RoundedEndAt = Instant(reader, 9),
        WorkedMinutes = reader.GetInt32(10),
        PaidMinutes = reader.GetInt32(11),
        Status = DbNames.Parse<ShiftStatus>(reader.GetString(12)),
        Note = reader.IsDBNull(13) ? null : reader.GetString(13),
        Edited = reader.GetBoolean(14),
        Source = DbNames.Parse<ShiftSource>(reader.GetString(15)),
        UserNote = reader.IsDBNull(16) ? null : reader.GetString(16),
        UpdatedAt = reader.GetFieldValue<DateTimeOffset>(17),
    };

    private static DateTimeOffset? Instant(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static NpgsqlBatchCommand UserAndDates(string sql, string userId, DateRange dates)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = dates.Start });
        command.Parameters.Add(new NpgsqlParameter { Value = dates.End });
        return command;
    }

    private static NpgsqlBatchCommand Filtered(string sql, string userId, DateOnly? from, DateOnly? to, long? jobId, bool problemsOnly)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = from ?? DateOnly.MinValue });
        command.Parameters.Add(new NpgsqlParameter { Value = to ?? DateOnly.MaxValue });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)jobId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = problemsOnly });
        return command;
    }

    /// <summary>
    /// Columns 2 and 3 of a shift row: its start and end. An anomaly whose out-punch is before its in-punch counts no
    /// time (its end is its start), so it stays valid for pay.
    /// </summary>
    private static (DateTimeOffset Start, DateTimeOffset? End) WorkedSpan(NpgsqlDataReader reader)
    {
        var start = reader.GetFieldValue<DateTimeOffset>(2);
        DateTimeOffset? end = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3);
        return (start, end < start ? start : end);
    }
}
