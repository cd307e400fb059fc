namespace PayTrack.Web.Pay;

/// <summary>
/// Hours and estimated gross pay of one user, from their shifts, settings and rates; no I/O. Build one per request
/// (it is cheap) with the user's <see cref="PayOptions"/> and <see cref="PayRateTable"/>.
/// </summary>
public sealed class PayCalculator
{
    private readonly WorkweekPayCalculator _workweeks;

    public PayCalculator(PayOptions options, PayRateTable rates, TermCalendar? terms = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rates);
        Options = options;
        Rates = rates;
        Terms = terms ?? TermCalendar.None;
        Calendar = new PayCalendar(options);
        _workweeks = new WorkweekPayCalculator(options, rates);
    }

    public PayOptions Options { get; }

    public PayCalendar Calendar { get; }

    public PayRateTable Rates { get; }

    public TermCalendar Terms { get; }

    /// <summary>January 1st of <paramref name="today"/>'s year to <paramref name="today"/>.</summary>
    public static DateRange YearToDate(DateOnly today) => new(new DateOnly(today.Year, 1, 1), today);

    public static DateRange MonthOf(DateOnly day) =>
        new(new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month)));

    /// <summary>
    /// The local dates whose shifts <see cref="Summarize"/> needs for <paramref name="range"/>: every pay period that
    /// overlaps it and every workweek that overlaps those, whole. Load the user's shifts attributed to these dates.
    /// </summary>
    public DateRange ShiftDatesNeededFor(DateRange range)
    {
        var periods = Calendar.PeriodsOverlapping(range);
        return new DateRange(
            Calendar.WorkweekContaining(periods[0].Start).Start,
            Calendar.WorkweekContaining(periods[^1].End).End);
    }

    /// <summary>The pay of the workweek containing <paramref name="day"/>; shifts of other weeks are ignored.</summary>
    public WorkweekPay Workweek(DateOnly day, IEnumerable<WorkedShift> shifts)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        var week = Calendar.WorkweekContaining(day);
        return _workweeks.Compute(week, shifts.Where(s => week.Contains(s.LocalDate)));
    }

    /// <summary>
    /// Each shift's pay, unrounded, in every workweek overlapping <paramref name="range"/> (whole weeks, so overtime
    /// is right); filter by date for the range itself. Pass the shifts of those weeks; others are ignored.
    /// </summary>
    public IReadOnlyList<ShiftPay> Pays(DateRange range, IEnumerable<WorkedShift> shifts)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        var weeks = Calendar.WorkweeksOverlapping(range);
        var dates = new DateRange(weeks[0].Start, weeks[^1].End);
        var byWeek = shifts.Where(s => dates.Contains(s.LocalDate)).ToLookup(s => Calendar.WorkweekContaining(s.LocalDate).Start);
        return weeks.SelectMany(w => _workweeks.Compute(w, byWeek[w.Start]).Shifts).ToList();
    }

    /// <summary>The week's cap: the in-session one, or the break one in a week with no day in a term.</summary>
    public CapReading CapFor(WorkweekPay week)
    {
        ArgumentNullException.ThrowIfNull(week);
        return Terms.Terms.Count == 0
            ? WeeklyCap.Read(week.Minutes, Options)
            : WeeklyCap.Read(week.Minutes, Terms.CapFor(week.Workweek, Options), Options);
    }

    /// <summary>
    /// Workweeks and pay periods overlapping <paramref name="range"/> (each whole), and the range's own totals, days
    /// and jobs. Pass the shifts of <see cref="ShiftDatesNeededFor"/>; others are ignored.
    /// </summary>
    public PaySummary Summarize(DateRange range, IEnumerable<WorkedShift> shifts)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        var needed = ShiftDatesNeededFor(range);
        var byWeek = shifts
            .Where(s => needed.Contains(s.LocalDate))
            .ToLookup(s => Calendar.WorkweekContaining(s.LocalDate).Start);

        var weeks = Calendar.WorkweeksOverlapping(needed).Select(w => _workweeks.Compute(w, byWeek[w.Start])).ToList();
        var pays = weeks.SelectMany(w => w.Shifts).ToList();
        var inRange = pays.Where(p => range.Contains(p.Date)).ToList();

        var workweeks = weeks
            .Where(w => w.Workweek.Overlaps(range))
            .Select(w => new WorkweekSummary(
                w.Workweek.Start, w.Workweek.End, w.Minutes, PayRounding.ToHours(w.Minutes), PayRounding.ToHours(w.OvertimeMinutes),
                PayRounding.ToCents(w.RegularRate), PayRounding.ToCents(w.StraightTimePay), PayRounding.ToCents(w.OvertimePremium),
                PayRounding.ToCents(w.GrossPay), CapFor(w))
            {
                RegularHours = PayRounding.ToHours(w.RegularMinutes),
                DoubleTimeHours = PayRounding.ToHours(w.DoubleTimeMinutes),
                Rounding = RoundingAudit.Sum(w.Shifts.Select(s => RoundingAudit.Of(s.Shift, s.HourlyRate))),
            })
            .ToList();

        var periods = Calendar.PeriodsOverlapping(range)
            .Select(p =>
            {
                var t = Tally.Of(pays.Where(s => p.Contains(s.Date)));
                return new PayPeriodSummary(p.Start, p.End, p.Payday, t.Minutes, t.Hours, t.OvertimeHours,
                    PayRounding.ToCents(t.StraightTimePay), PayRounding.ToCents(t.OvertimePremium), t.GrossPay);
            })
            .ToList();

        var jobs = inRange
            .GroupBy(s => s.JobKey, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var t = Tally.Of(g);
                return new JobSummary(g.Key, t.Minutes, t.Hours, t.OvertimeHours, t.GrossPay);
            })
            .ToList();

        var days = Days(inRange);

        var total = Tally.Of(inRange);
        var withoutRate = pays.Where(p => p.HourlyRate is null).Select(p => p.JobKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        return new PaySummary(range.Start, range.End, new PayTotals(total.Minutes, total.Hours, total.OvertimeHours, total.GrossPay),
            workweeks, periods, jobs, days, withoutRate)
        {
            OvertimeRule = Options.OvertimeRule,
            OvertimeSource = OvertimeSources.Of(Options.OvertimeRule),
        };
    }

    private static List<DaySummary> Days(IEnumerable<ShiftPay> pays) =>
        pays
            .GroupBy(s => s.Date)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var t = Tally.Of(g);
                var byJob = g.GroupBy(s => s.JobKey, StringComparer.Ordinal)
                    .OrderBy(j => j.Key, StringComparer.Ordinal)
                    .Select(j =>
                    {
                        var jt = Tally.Of(j);
                        return new DayJobSummary(j.Key, jt.Minutes, jt.Hours, jt.GrossPay);
                    })
                    .ToList();
                return new DaySummary(g.Key, t.Minutes, t.Hours, t.OvertimeHours, t.GrossPay, byJob);
            })
            .ToList();

    private readonly record struct Tally(int Minutes, int OvertimeMinutes, decimal StraightTimePay, decimal OvertimePremium)
    {
        public decimal Hours => PayRounding.ToHours(Minutes);

        public decimal OvertimeHours => PayRounding.ToHours(OvertimeMinutes);

        public decimal GrossPay => PayRounding.ToCents(StraightTimePay + OvertimePremium);

        public static Tally Of(IEnumerable<ShiftPay> pays)
        {
            var tally = default(Tally);
            foreach (var p in pays)
            {
                tally = new Tally(tally.Minutes + p.Minutes, tally.OvertimeMinutes + p.OvertimeMinutes,
                    tally.StraightTimePay + p.StraightTimePay, tally.OvertimePremium + p.OvertimePremium);
            }

            return tally;
        }
    }
}
