using System.Diagnostics;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Pay;

namespace PayTrack.Web.Dashboard;

/// <summary>Hours and estimated gross pay of one stretch of days ("this week", "this pay period").</summary>
public sealed record Figure(string Label, DateRange Dates, int Minutes, decimal Hours, decimal OvertimeHours, decimal GrossPay)
{
    /// <summary>
    /// The figure of <paramref name="range"/> from the pays of whole workweeks: minutes summed exactly, money carried
    /// unrounded and rounded once, as <see cref="PayCalculator.Summarize"/> does for its totals.
    /// </summary>
    public static Figure Of(string label, DateRange range, IEnumerable<ShiftPay> pays)
    {
        ArgumentNullException.ThrowIfNull(pays);
        var (minutes, overtime, money) = (0, 0, 0m);
        foreach (var pay in pays)
        {
            if (range.Contains(pay.Date))
            {
                minutes += pay.Minutes;
                overtime += pay.OvertimeMinutes;
                money += pay.StraightTimePay + pay.OvertimePremium;
            }
        }

        return new Figure(label, range, minutes, PayRounding.ToHours(minutes), PayRounding.ToHours(overtime), PayRounding.ToCents(money));
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
    IReadOnlyList<DaySummary> WeekDays,
    IReadOnlyList<string> JobsWithoutRate,
    TimeSpan QueryTime,
    TimeSpan PayTime)
{
    /// <summary>No job yet: nothing was imported or synced.</summary>
    public bool IsEmpty => Profile.Jobs.Count == 0;
}

/// <summary>
/// The overview's reads: the profile (one round trip), then the needed days summed per day and job, the recent
/// problems and the count of older ones (one more round trip). Pay is computed here from those rows: each workweek
/// of the needed dates once, then every figure summed from the same shift pays.
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
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var profile = await profiles.LoadAsync(connection, subject, cancellationToken);
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

        var (work, problems, older) = await ReadAsync(connection, profile, needed, problemsSince, cancellationToken);
        await connection.CloseAsync();
        var queryTime = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        var byWeek = work.ToLookup(w => calendar.WorkweekContaining(w.LocalDate).Start);
        var workweeks = new WorkweekPayCalculator(profile.Options, profile.Rates);
        var pays = new List<ShiftPay>(work.Count);
        WorkweekPay? thisWeek = null;
        foreach (var workweek in calendar.WorkweeksOverlapping(needed))
        {
            var pay = workweeks.Compute(workweek, byWeek[workweek.Start]);
            pays.AddRange(pay.Shifts);
            thisWeek = workweek == week ? pay : thisWeek;
        }

        var periodFigure = Figure.Of("This pay period", period.Dates, pays);
        var payTime = Stopwatch.GetElapsedTime(started);
        return new Overview(
            profile,
            Figure.Of("This week", week, pays),
            periodFigure,
            Figure.Of("This month", month, pays),
            Figure.Of("This year", year, pays),
            calculator.CapFor(thisWeek!),
            period,
            paid == period ? periodFigure with { Label = "Next payday" } : Figure.Of("Next payday", paid.Dates, pays),
            paid,
            problemsSince,
            problems,
            older,
            Days(pays.Where(p => week.Contains(p.Date))),
            pays.Where(p => p.HourlyRate is null).Select(p => p.JobKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            queryTime,
            payTime);
    }

    private static async Task<(IReadOnlyList<WorkedShift> Work, List<ProblemShift> Problems, int Older)> ReadAsync(
        NpgsqlConnection connection, PayProfile profile, DateRange needed, DateOnly problemsSince, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(WorkQueries.PerDayAndJob(profile.UserId, needed, profile.Options.UseRoundedTimes));
        batch.BatchCommands.Add(UserAndDate(ProblemsSql, profile.UserId, problemsSince));
        batch.BatchCommands.Add(UserAndDate(OlderProblemsSql, profile.UserId, problemsSince));
        await using var reader = await Prepared.ExecuteAsync(batch, cancellationToken);
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

    /// <summary>Hours and pay per day and job, for the week's chart and table.</summary>
    private static List<DaySummary> Days(IEnumerable<ShiftPay> pays) =>
        pays.GroupBy(p => p.Date)
            .OrderBy(g => g.Key)
            .Select(day =>
            {
                var jobs = day.GroupBy(p => p.JobKey, StringComparer.Ordinal)
                    .Select(j => new DayJobSummary(j.Key, j.Sum(p => p.Minutes), PayRounding.ToHours(j.Sum(p => p.Minutes)), PayRounding.ToCents(j.Sum(p => p.GrossPay))))
                    .ToList();
                var minutes = day.Sum(p => p.Minutes);
                return new DaySummary(day.Key, minutes, PayRounding.ToHours(minutes), PayRounding.ToHours(day.Sum(p => p.OvertimeMinutes)), PayRounding.ToCents(day.Sum(p => p.GrossPay)), jobs);
            })
            .ToList();

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
