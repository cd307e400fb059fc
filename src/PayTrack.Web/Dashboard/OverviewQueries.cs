using System.Diagnostics;
using Npgsql;
using PayTrack.Web.Data;
using PayTrack.Web.Data.Configurations;
using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

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
    /// <summary>The signed-in user's Kronos sync state (null for the demo), read in the same round trip.</summary>
    public Sync.UserSyncState? Sync { get; init; }

    /// <summary>The student panel (the cap that applies, take-home, work-study, rounding), from the same shifts and <see cref="Cap"/>.</summary>
    public StudentDashboard? Student { get; init; }

    /// <summary>No job yet: nothing was imported or synced.</summary>
    public bool IsEmpty => Profile.Jobs.Count == 0;
}

/// <summary>
/// A read that a page shows beside the overview, for a feature on a floor above Dashboard/ (the Notion banner): the
/// overview adds its statement last to its own round trip and hands it its result to read. Each round trip a page
/// waits for costs it a turn on the thread pool, which under load is most of its time.
/// </summary>
public abstract class ReadAlongside
{
    /// <summary>The statement, which reads only <paramref name="userId"/>'s rows.</summary>
    public abstract NpgsqlBatchCommand Statement(string userId);

    /// <summary>Reads the statement's result (the reader is on it).</summary>
    public abstract Task ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken);
}

/// <summary>
/// The overview's reads, in one round trip: the profile, the shifts, the recent problems and the problem count per
/// day, the sync state and the work-study awards. Which days the figures need depends on the user's
/// settings and zone, read in that same round trip, so it asks for a window that holds them whatever the settings
/// (<see cref="Window"/>) and reads again only when something needs more (settings no valid form allows, or a
/// work-study award that began before the window). Pay is then computed here: each workweek once, and every figure
/// summed from the same shift pays; the student panel is computed from the same shifts.
/// </summary>
public sealed class OverviewQueries(NpgsqlDataSource dataSource, PayProfiles profiles)
{
    /// <param name="alongside">A read of a feature above the dashboard that the page shows beside it (the Notion banner), made in the same round trip.</param>
    public async Task<Overview> LoadAsync(DashboardSubject subject, CancellationToken cancellationToken, ReadAlongside? alongside = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var started = Stopwatch.GetTimestamp();
        var (window, windowProblemsSince) = Window(profiles.PossibleToday(subject));
        var read = await ReadAsync(subject, window, windowProblemsSince, alongside, cancellationToken);
        var profile = read.Profile;
        var dates = OverviewDates.Of(profile);
        var panelDates = StudentPayQueries.DashboardDates(profile);
        var wanted = Union(dates.Needed, panelDates, StudentPayQueries.WorkStudyDates(profile, read.Awards) ?? panelDates);
        var shifts = read.Shifts;
        if (wanted.Start < window.Start || wanted.End > window.End)
        {
            shifts = await ReadShiftsAsync(profile.UserId, wanted, cancellationToken);
        }

        var queryTime = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        // Listing from the later date is the safe side when settings ask for more than the window (not with valid ones).
        var since = dates.ProblemsSince < windowProblemsSince ? windowProblemsSince : dates.ProblemsSince;
        var problems = read.Problems.Where(p => p.Date >= since).ToList();
        var older = read.ProblemDays.Where(c => c.Date < since).Sum(c => c.Count);
        var overview = Compute(profile, dates, TimecardReads.PerDayAndJob(shifts, profile.KeyOf, profile.Options.UseRoundedTimes), since, problems, older);
        var worked = TimecardReads.Worked(shifts, profile.KeyOf);
        var student = StudentPayQueries.Dashboard(profile, worked, StudentPayQueries.WorkStudyOf(profile, read.Awards, worked), overview.Cap);
        return overview with
        {
            QueryTime = queryTime,
            PayTime = Stopwatch.GetElapsedTime(started),
            Sync = read.Sync,
            Student = student,
        };
    }

    private static Overview Compute(PayProfile profile, OverviewDates dates, IReadOnlyList<WorkedShift> work, DateOnly problemsSince, List<ProblemShift> problems, int olderProblems)
    {
        var calendar = profile.Calculator.Calendar;
        var byWeek = work.ToLookup(w => calendar.WorkweekContaining(w.LocalDate).Start);
        var workweeks = new WorkweekPayCalculator(profile.Options, profile.Rates);
        var pays = new List<ShiftPay>(work.Count);
        WorkweekPay? thisWeek = null;
        foreach (var workweek in calendar.WorkweeksOverlapping(dates.Needed))
        {
            var pay = workweeks.Compute(workweek, byWeek[workweek.Start]);
            pays.AddRange(pay.Shifts);
            thisWeek = workweek == dates.Week ? pay : thisWeek;
        }

        var periodFigure = Figure.Of("This pay period", dates.Period.Dates, pays);
        return new Overview(
            profile,
            Figure.Of("This week", dates.Week, pays),
            periodFigure,
            Figure.Of("This month", dates.Month, pays),
            Figure.Of("This year", dates.Year, pays),
            profile.Calculator.CapFor(thisWeek!),
            dates.Period,
            dates.Paid == dates.Period ? periodFigure with { Label = "Next payday" } : Figure.Of("Next payday", dates.Paid.Dates, pays),
            dates.Paid,
            problemsSince,
            problems,
            olderProblems,
            Days(pays.Where(p => dates.Week.Contains(p.Date))),
            pays.Where(p => p.HourlyRate is null).Select(p => p.JobKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            TimeSpan.Zero,
            TimeSpan.Zero);
    }

    private sealed record Read(
        PayProfile Profile,
        IReadOnlyList<ShiftMinutes> Shifts,
        List<ProblemShift> Problems,
        List<(DateOnly Date, int Count)> ProblemDays,
        Sync.UserSyncState? Sync,
        IReadOnlyList<AwardInfo> Awards);

    private async Task<Read> ReadAsync(DashboardSubject subject, DateRange window, DateOnly problemsSince, ReadAlongside? alongside, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        PayProfiles.AddStatements(batch, subject.UserId);
        batch.BatchCommands.Add(TimecardReads.PerShift(subject.UserId, window));
        batch.BatchCommands.Add(TimecardReads.Problems(subject.UserId, problemsSince));
        StudentPayStore.AddAwardsRead(batch, subject.UserId);
        if (!subject.IsDemo)
        {
            batch.BatchCommands.Add(Sync.SyncRuns.SyncStatement(subject.UserId));
        }

        if (alongside is not null)
        {
            batch.BatchCommands.Add(alongside.Statement(subject.UserId));
        }

        await using var reader = await Prepared.ExecuteAsync(batch, cancellationToken);
        var profile = await profiles.ReadAsync(reader, subject, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var shifts = await TimecardReads.ReadShiftMinutesAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var (problems, counts) = await TimecardReads.ReadProblemsAsync(reader, jobId => profile.Job(jobId)?.Label ?? "?", profile.Zone, cancellationToken);

        // A union keeps no order: newest first again.
        problems.Sort((a, b) => b.LocalStart.CompareTo(a.LocalStart));
        await reader.NextResultAsync(cancellationToken);
        var awards = await StudentPayStore.ReadAwardsAsync(reader, cancellationToken);
        Sync.UserSyncState? sync = null;
        if (!subject.IsDemo)
        {
            await reader.NextResultAsync(cancellationToken);
            sync = await Sync.SyncRuns.ReadSyncAsync(reader, cancellationToken);
        }

        if (alongside is not null)
        {
            await reader.NextResultAsync(cancellationToken);
            await alongside.ReadAsync(reader, cancellationToken);
        }

        return new Read(profile, shifts, problems, counts, sync, awards);
    }

    /// <summary>The stretches of days the overview shows, from the user's settings and today.</summary>
    private sealed record OverviewDates(DateRange Week, PayPeriod Period, PayPeriod Paid, DateRange Month, DateRange Year, DateRange Needed, DateOnly ProblemsSince)
    {
        public static OverviewDates Of(PayProfile profile)
        {
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
            return new OverviewDates(week, period, paid, month, year, needed, calendar.PeriodContaining(period.Start.AddDays(-1)).Start);
        }
    }

    /// <summary>
    /// Dates that hold every day the figures can need, whatever the settings: the year to date and the month reach
    /// back at most a pay period (16 days) and a workweek; the period the next payday pays ends at most 60 days
    /// (the largest payday offset) before today; and forward, the month's last pay period and workweek. Problems are
    /// listed from the previous pay period's start, at most 32 days back.
    /// </summary>
    internal static (DateRange Dates, DateOnly ProblemsSince) Window((DateOnly Earliest, DateOnly Latest) today)
    {
        var (earliest, latest) = today;
        var start = new DateOnly(earliest.Year, 1, 1).AddDays(-23);
        var paidFrom = earliest.AddDays(-(60 + 16 + 7));
        var monthEnd = new DateOnly(latest.Year, latest.Month, DateTime.DaysInMonth(latest.Year, latest.Month));
        return (new DateRange(paidFrom < start ? paidFrom : start, monthEnd.AddDays(16 + 7)), earliest.AddDays(-33));
    }

    private async Task<IReadOnlyList<ShiftMinutes>> ReadShiftsAsync(string userId, DateRange dates, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(TimecardReads.PerShift(userId, dates));
        await using var reader = await Prepared.ExecuteAsync(batch, cancellationToken);
        return await TimecardReads.ReadShiftMinutesAsync(reader, cancellationToken);
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
}
