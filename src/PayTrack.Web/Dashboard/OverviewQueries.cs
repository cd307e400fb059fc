using System.Diagnostics;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Pay;

namespace PayTrack.Web.Dashboard;

/// <summary>Hours and estimated gross pay of one stretch of days ("this week", "this pay period").</summary>
public sealed record Figure(string Label, DateRange Dates, int Minutes, decimal Hours, decimal OvertimeHours, decimal GrossPay)
{
    public static Figure Of(string label, PaySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new Figure(label, new DateRange(summary.From, summary.To), summary.Totals.Minutes, summary.Totals.Hours, summary.Totals.OvertimeHours, summary.Totals.GrossPay);
    }
}

/// <summary>A shift to fix: a missed out-punch or an anomaly.</summary>
public sealed record ProblemShift(long Id, string Job, DateOnly Date, DateTimeOffset LocalStart, ShiftStatus Status, string? Note);

/// <summary>What the overview page shows.</summary>
public sealed record Overview(
    PayProfile Profile,
    Figure Week,
    Figure Period,
    Figure Month,
    Figure Year,
    CapReading Cap,
    PayPeriod CurrentPeriod,
    Figure NextPaid,
    PayPeriod NextPaidPeriod,
    DateOnly ProblemsSince,
    IReadOnlyList<ProblemShift> Problems,
    int OlderProblems,
    PaySummary WeekSummary,
    IReadOnlyList<WorkweekSummary> YearWeeks,
    IReadOnlyList<string> JobsWithoutRate,
    TimeSpan QueryTime)
{
    /// <summary>No job yet: nothing was imported or synced.</summary>
    public bool IsEmpty => Profile.Jobs.Count == 0;
}

/// <summary>
/// The overview's reads: the profile (one round trip), then the needed days summed per day and job, the recent
/// problems and the count of older ones (one more round trip). Pay is computed here from those rows.
/// </summary>
public sealed class OverviewQueries(NpgsqlDataSource dataSource, PayProfiles profiles)
{
    public const int MaxProblemsListed = 50;

    private const string ProblemsSql = """
        SELECT id, job_id, local_date, start_at, status, note
        FROM shifts
        WHERE user_id = $1 AND status IN ('missing_out', 'anomaly') AND local_date >= $2
        ORDER BY local_date DESC, start_at DESC
        LIMIT 50
        """;

    private const string OlderProblemsSql = """
        SELECT count(*)::int FROM shifts
        WHERE user_id = $1 AND status IN ('missing_out', 'anomaly') AND local_date < $2
        """;

    public async Task<Overview> LoadAsync(DashboardSubject subject, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var profile = await profiles.LoadAsync(subject, cancellationToken);
        var calculator = profile.Calculator;
        var calendar = calculator.Calendar;
        var today = profile.Today;

        var week = calendar.WorkweekContaining(today);
        var period = calendar.PeriodContaining(today);
        // The period the next payday pays: the current one, or the last one when its payday is still ahead.
        var paid = calendar.PeriodContaining(today.AddDays(-profile.Options.PaydayOffsetDays));
        var month = PayCalculator.MonthOf(today);
        var year = PayCalculator.YearToDate(today);
        var needed = Union(calculator.ShiftDatesNeededFor(week), calculator.ShiftDatesNeededFor(period.Dates),
            calculator.ShiftDatesNeededFor(month), calculator.ShiftDatesNeededFor(year), calculator.ShiftDatesNeededFor(paid.Dates));
        var problemsSince = calendar.PeriodContaining(period.Start.AddDays(-1)).Start;

        var (work, problems, older) = await ReadAsync(profile, needed, problemsSince, cancellationToken);
        var queryTime = Stopwatch.GetElapsedTime(started);
        var weekSummary = calculator.Summarize(week, work);
        var yearSummary = calculator.Summarize(year, work);
        var periodSummary = calculator.Summarize(period.Dates, work);
        var monthSummary = calculator.Summarize(month, work);
        var paidSummary = paid == period ? periodSummary : calculator.Summarize(paid.Dates, work);
        var cap = calculator.CapFor(calculator.Workweek(today, work));

        return new Overview(
            profile,
            Figure.Of("This week", weekSummary),
            Figure.Of("This pay period", periodSummary),
            Figure.Of("This month", monthSummary),
            Figure.Of("This year", yearSummary),
            cap,
            period,
            Figure.Of("Next payday", paidSummary),
            paid,
            problemsSince,
            problems,
            older,
            weekSummary,
            yearSummary.Workweeks,
            yearSummary.JobsWithoutRate.Union(periodSummary.JobsWithoutRate, StringComparer.Ordinal).ToList(),
            queryTime);
    }

    private async Task<(IReadOnlyList<WorkedShift> Work, List<ProblemShift> Problems, int Older)> ReadAsync(
        PayProfile profile, DateRange needed, DateOnly problemsSince, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(WorkQueries.PerDayAndJob(profile.UserId, needed, profile.Options.UseRoundedTimes));
        batch.BatchCommands.Add(UserAndDate(ProblemsSql, profile.UserId, problemsSince));
        batch.BatchCommands.Add(UserAndDate(OlderProblemsSql, profile.UserId, problemsSince));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var work = await WorkQueries.ReadPerDayAndJobAsync(reader, profile, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var problems = new List<ProblemShift>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var job = profile.Job(reader.GetInt64(1));
            problems.Add(new ProblemShift(reader.GetInt64(0), job?.Label ?? "?", reader.GetFieldValue<DateOnly>(2),
                profile.LocalTime(reader.GetFieldValue<DateTimeOffset>(3)), DbNames.Parse<ShiftStatus>(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (work, problems, reader.GetInt32(0));
    }

    private static DateRange Union(params DateRange[] ranges) =>
        new(ranges.Min(r => r.Start), ranges.Max(r => r.End));

    private static NpgsqlBatchCommand UserAndDate(string sql, string userId, DateOnly date)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = date });
        return command;
    }
}
