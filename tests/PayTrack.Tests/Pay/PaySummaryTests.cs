using System.Text.Json;
using PayTrack.Web.Data;
using PayTrack.Web.Pay;
using static PayTrack.Tests.Pay.PayExamples;

namespace PayTrack.Tests.Pay;

public sealed class PaySummaryTests
{
    private static readonly PayOptions SemiMonthly = new() { PeriodKind = PayPeriodKind.SemiMonthly, PaydayOffsetDays = 5 };

    // Workweek Sunday 2025-01-12 to Saturday 2025-01-18; the semi-monthly period ends on Wednesday the 15th.
    // Library @ $15: Sun 12 h, Mon 12 h, Tue 12 h, Wed 6 h (42 h; the 40th hour passes 4 h into Wednesday).
    // Dining @ $20: Thu 3 h.
    // Week: 45 h, straight time 42 x 15 + 3 x 20 = $690, regular rate 690 / 45 = $15.3333,
    //   premium 0.5 x 15.3333 x 5 = $38.3333, gross $728.33.
    // Jan 1-15: straight time $630 + premium on Wednesday's 2 overtime hours 0.5 x 15.3333 x 2 = $15.3333 -> $645.33.
    // Jan 16-31: straight time $60 + premium on Thursday's 3 overtime hours 0.5 x 15.3333 x 3 = $23.00 -> $83.00.
    private static readonly WorkedShift[] SplitWeek =
    [
        Worked(Library, D(2025, 1, 12), 12m), Worked(Library, D(2025, 1, 13), 12m), Worked(Library, D(2025, 1, 14), 12m),
        Worked(Library, D(2025, 1, 15), 6m), Worked(Dining, D(2025, 1, 16), 3m),
    ];

    private static PaySummary SummarizeJanuary() =>
        Calculator(SemiMonthly, Rates((Library, 15m), (Dining, 20m))).Summarize(new DateRange(D(2025, 1, 1), D(2025, 1, 31)), SplitWeek);

    [Fact]
    public void APayPeriodSplittingAWorkweekGetsThePremiumOfTheOvertimeWorkedInIt()
    {
        var summary = SummarizeJanuary();

        var week = summary.Workweeks.Single(w => w.Start == D(2025, 1, 12));
        Assert.Equal((45m, 5m, 690.00m, 15.33m, 38.33m, 728.33m),
            (week.Hours, week.OvertimeHours, week.StraightTimePay, week.RegularRate, week.OvertimePremium, week.GrossPay));

        Assert.Equal(2, summary.PayPeriods.Count);
        var first = summary.PayPeriods[0];
        Assert.Equal((D(2025, 1, 1), D(2025, 1, 15), D(2025, 1, 20)), (first.Start, first.End, first.Payday));
        Assert.Equal((42m, 2m, 630.00m, 15.33m, 645.33m), (first.Hours, first.OvertimeHours, first.StraightTimePay, first.OvertimePremium, first.GrossPay));
        var second = summary.PayPeriods[1];
        Assert.Equal((D(2025, 1, 16), D(2025, 1, 31), D(2025, 2, 5)), (second.Start, second.End, second.Payday));
        Assert.Equal((3m, 3m, 60.00m, 23.00m, 83.00m), (second.Hours, second.OvertimeHours, second.StraightTimePay, second.OvertimePremium, second.GrossPay));

        Assert.Equal(week.GrossPay, first.GrossPay + second.GrossPay);
        Assert.Equal(728.33m, summary.Totals.GrossPay);
    }

    [Fact]
    public void DaysAndJobsOfTheRangeCarryThePremiumWhereTheOvertimeFell()
    {
        var summary = SummarizeJanuary();

        // Wednesday: 6 h x $15 = $90 + $15.3333 premium; Thursday: 3 h x $20 = $60 + $23.00.
        Assert.Equal([D(2025, 1, 12), D(2025, 1, 13), D(2025, 1, 14), D(2025, 1, 15), D(2025, 1, 16)], summary.Days.Select(d => d.Date));
        var wednesday = summary.Days.Single(d => d.Date == D(2025, 1, 15));
        Assert.Equal((6m, 2m, 105.33m), (wednesday.Hours, wednesday.OvertimeHours, wednesday.GrossPay));
        Assert.Equal(83.00m, summary.Days.Single(d => d.Date == D(2025, 1, 16)).GrossPay);
        Assert.Equal(Dining, Assert.Single(summary.Days.Single(d => d.Date == D(2025, 1, 16)).Jobs).JobKey);

        Assert.Equal([(Library, 42m, 645.33m), (Dining, 3m, 83.00m)], summary.Jobs.Select(j => (j.JobKey, j.Hours, j.GrossPay)));
    }

    [Fact]
    public void TheSummaryNeedsTheShiftsOfEveryWholeWorkweekOfItsPayPeriods()
    {
        var calculator = Calculator(SemiMonthly);

        // Jan 16-31 2025 starts on a Thursday and ends on a Friday.
        Assert.Equal(new DateRange(D(2025, 1, 12), D(2025, 2, 1)), calculator.ShiftDatesNeededFor(new DateRange(D(2025, 1, 20), D(2025, 1, 22))));
    }

    [Fact]
    public void ARangeCutThroughAWorkweekStillPaysThatWeeksOvertimeOnTheDaysItFell()
    {
        // Workweek Sun 2025-12-28 to Sat 2026-01-03: Sun-Wed 10 h each (40 h, all in 2025), then Friday Jan 2 8 h,
        // all overtime. @ $15: December $600.00; 2026 to date 8 h x 15 + 0.5 x 15 x 8 = $180.00.
        WorkedShift[] shifts = [.. Enumerable.Range(28, 4).Select(day => Worked(Library, D(2025, 12, day), 10m)), Worked(Library, D(2026, 1, 2), 8m)];
        var calculator = Calculator();

        var december = calculator.Summarize(PayCalculator.MonthOf(D(2025, 12, 10)), shifts).Totals;
        var yearToDate = calculator.Summarize(PayCalculator.YearToDate(D(2026, 1, 10)), shifts).Totals;

        Assert.Equal((40m, 0m, 600.00m), (december.Hours, december.OvertimeHours, december.GrossPay));
        Assert.Equal((8m, 8m, 180.00m), (yearToDate.Hours, yearToDate.OvertimeHours, yearToDate.GrossPay));
    }

    [Fact]
    public void EachWorkweekStandsAloneWithNoOvertimeCarriedIntoTheNext()
    {
        // 50 h in the week of Jan 5, then 30 h in the week of Jan 12: 10 h of overtime in total, none in the second week.
        WorkedShift[] shifts =
        [
            .. Enumerable.Range(5, 5).Select(day => Worked(Library, D(2025, 1, day), 10m)),
            .. Enumerable.Range(12, 3).Select(day => Worked(Library, D(2025, 1, day), 10m)),
        ];

        var summary = Calculator().Summarize(new DateRange(D(2025, 1, 5), D(2025, 1, 18)), shifts);

        Assert.Equal([(10m, 825.00m), (0m, 450.00m)], summary.Workweeks.Select(w => (w.OvertimeHours, w.GrossPay)));
        Assert.Equal(1275.00m, summary.Totals.GrossPay);
    }

    [Fact]
    public void EachWorkweekCarriesItsWeeklyCapMeter()
    {
        WorkedShift[] shifts = [Worked(Library, D(2025, 1, 6), 10m), Worked(Library, D(2025, 1, 7), 8.5m), Worked(Library, D(2025, 1, 13), 21m)];

        var summary = Calculator().Summarize(new DateRange(D(2025, 1, 5), D(2025, 1, 18)), shifts);

        Assert.Equal(new CapReading(20m, 18.5m, 1.5m, CapStatus.Near), summary.Workweeks[0].Cap);
        Assert.Equal(new CapReading(20m, 21m, 0m, CapStatus.Over), summary.Workweeks[1].Cap);
    }

    [Fact]
    public void TheSummarySerializesInTheApisSnakeCaseShape()
    {
        var json = JsonDocument.Parse(JsonSerializer.Serialize(SummarizeJanuary())).RootElement;

        var week = json.GetProperty("workweeks").EnumerateArray().Single(w => w.GetProperty("start").GetString() == "2025-01-12");
        Assert.Equal(45m, week.GetProperty("hours").GetDecimal());
        Assert.Equal(5m, week.GetProperty("overtime_hours").GetDecimal());
        Assert.Equal(728.33m, week.GetProperty("gross_pay").GetDecimal());
        Assert.Equal("over", week.GetProperty("cap").GetProperty("status").GetString());

        var period = json.GetProperty("pay_periods")[0];
        Assert.Equal("2025-01-01", period.GetProperty("start").GetString());
        Assert.Equal("2025-01-15", period.GetProperty("end").GetString());
        Assert.Equal("2025-01-20", period.GetProperty("payday").GetString());
        Assert.Equal(42m, period.GetProperty("hours").GetDecimal());
        Assert.Equal(2m, period.GetProperty("overtime_hours").GetDecimal());
        Assert.Equal(645.33m, period.GetProperty("gross_pay").GetDecimal());
    }
}
