using PayTrack.Web.Pay;
using static PayTrack.Tests.Pay.PayExamples;

namespace PayTrack.Tests.Pay;

/// <summary>
/// A fixture whose rounding favours the employer. Library at $15 (25 cents a minute); biweekly periods from the
/// default anchor (2024-12-22..2025-01-04, 2025-01-05..01-18, 2025-01-19..02-01); Sunday workweeks.
///   2024-12-30 worked 130, paid 135:  +5 min, +$1.25
///   2025-01-13 worked 247, paid 240:  -7 min, -$1.75
///   2025-01-15 worked 482, paid 480:  -2 min, -$0.50
///   2025-01-17 worked 238, paid 240:  +2 min, +$0.50
///   2025-01-21 worked 366, paid 360:  -6 min, -$1.50
///   2025-01-23 worked 244, paid 240:  -4 min, -$1.00
/// Week of 01-12: 967 worked, 960 paid, -7 min, -$1.75. Week of 01-19: 610, 600, -10 min, -$2.50.
/// Year 2024: +5 min, +$1.25. Year 2025: 1577, 1560, -17 min, -$4.25. In all 1707, 1695, -12 min, -$3.00.
/// </summary>
public sealed class RoundingAuditTests
{
    private static readonly WorkedShift[] Shifts =
    [
        WorkedMinutes(Library, D(2024, 12, 30), 130, roundedMinutes: 135),
        WorkedMinutes(Library, D(2025, 1, 13), 247, roundedMinutes: 240),
        WorkedMinutes(Library, D(2025, 1, 15), 482, roundedMinutes: 480),
        WorkedMinutes(Library, D(2025, 1, 17), 238, roundedMinutes: 240),
        WorkedMinutes(Library, D(2025, 1, 21), 366, roundedMinutes: 360),
        WorkedMinutes(Library, D(2025, 1, 23), 244, roundedMinutes: 240),
    ];

    [Fact]
    public void RoundingThatFavoursTheEmployerIsCountedPerShiftWeekPeriodAndYear()
    {
        var options = new PayOptions();
        var audit = RoundingAudit.Audit(Shifts, Rates((Library, 15m)), new PayCalendar(options));

        Assert.Equal(new RoundingFigures(247, 240, -7, -1.75m), audit.Shifts[1].Rounding);
        Assert.Equal(new RoundingFigures(238, 240, 2, 0.50m), audit.Shifts[3].Rounding);
        Assert.Equal(
            [new RoundingFigures(130, 135, 5, 1.25m), new RoundingFigures(967, 960, -7, -1.75m), new RoundingFigures(610, 600, -10, -2.50m)],
            audit.Workweeks.Select(w => w.Rounding));
        Assert.Equal([D(2024, 12, 22), D(2025, 1, 5), D(2025, 1, 19)], audit.PayPeriods.Select(p => p.Start));
        Assert.Equal([-7, -10], audit.PayPeriods.Skip(1).Select(p => p.Rounding.DifferenceMinutes));
        Assert.Equal(
            [new RoundingFigures(130, 135, 5, 1.25m), new RoundingFigures(1577, 1560, -17, -4.25m)],
            audit.Years.Select(y => y.Rounding));
        Assert.Equal(new RoundingFigures(1707, 1695, -12, -3.00m), audit.Total);
        Assert.Equal(RoundingLean.Employer, audit.Lean);
        Assert.Equal("Your employer's rounding paid you 12 minutes less than you worked ($3.00) over 6 rounded shifts. It leans towards your employer: neutral rounding should even out over time.",
            audit.Statement);
        Assert.Contains("29 CFR 785.48(b)", audit.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSummaryShowsEachWorkweeksRounding()
    {
        var summary = Calculator().Summarize(new DateRange(D(2025, 1, 12), D(2025, 1, 18)), Shifts);

        var week = Assert.Single(summary.Workweeks);
        Assert.Equal(new RoundingFigures(967, 960, -7, -1.75m), week.Rounding);
    }

    [Fact]
    public void RoundingThatEvensOutIsNeutral()
    {
        var audit = RoundingAudit.Audit(
            [WorkedMinutes(Library, D(2025, 1, 13), 247, roundedMinutes: 240), WorkedMinutes(Library, D(2025, 1, 14), 233, roundedMinutes: 240)],
            Rates((Library, 15m)), new PayCalendar(new PayOptions()));

        Assert.Equal(RoundingLean.Neutral, audit.Lean);
        Assert.Equal(new RoundingFigures(480, 480, 0, 0m), audit.Total);
    }

    [Fact]
    public void ShiftsInAnyOrderAreAuditedByStartTime()
    {
        var calendar = new PayCalendar(new PayOptions());
        var inOrder = RoundingAudit.Audit(Shifts, Rates((Library, 15m)), calendar);
        var shuffled = RoundingAudit.Audit([Shifts[4], Shifts[0], Shifts[5], Shifts[2], Shifts[1], Shifts[3]], Rates((Library, 15m)), calendar);

        Assert.Equal(inOrder.Shifts.Select(s => (s.Start, s.Rounding)), shuffled.Shifts.Select(s => (s.Start, s.Rounding)));
        Assert.Equal(inOrder.Workweeks.Select(w => (w.Start, w.End, w.Rounding)), shuffled.Workweeks.Select(w => (w.Start, w.End, w.Rounding)));
        Assert.Equal(inOrder.PayPeriods.Select(p => (p.Start, p.End, p.Rounding)), shuffled.PayPeriods.Select(p => (p.Start, p.End, p.Rounding)));
        Assert.Equal(inOrder.Years.Select(y => (y.Start, y.End, y.Rounding)), shuffled.Years.Select(y => (y.Start, y.End, y.Rounding)));
        Assert.Equal(inOrder.Statement, shuffled.Statement);
    }

    [Fact]
    public void TheDashboardsAuditHasThePeriodsAndYearsWithoutTheShiftsAndWeeks()
    {
        var calendar = new PayCalendar(new PayOptions());
        var whole = RoundingAudit.Audit(Shifts, Rates((Library, 15m)), calendar);
        var panel = RoundingAudit.Audit(Shifts, Rates((Library, 15m)), calendar, withShiftsAndWeeks: false);

        Assert.Empty(panel.Shifts);
        Assert.Empty(panel.Workweeks);
        Assert.Equal(whole.PayPeriods.Select(p => (p.Start, p.End, p.Rounding)), panel.PayPeriods.Select(p => (p.Start, p.End, p.Rounding)));
        Assert.Equal(whole.Years.Select(y => (y.Start, y.End, y.Rounding)), panel.Years.Select(y => (y.Start, y.End, y.Rounding)));
        Assert.Equal(whole.Total, panel.Total);
        Assert.Equal(whole.Statement, panel.Statement);
    }
}
