using PayTrack.Web.Pay;
using static PayTrack.Tests.Pay.PayExamples;

namespace PayTrack.Tests.Pay;

/// <summary>Worked examples of one workweek (Sunday 2025-01-12 to Saturday 2025-01-18 unless said), to the cent.</summary>
public sealed class OvertimeTests
{
    private static readonly DateOnly Sunday = D(2025, 1, 12);

    private static WorkweekPay Week(PayCalculator calculator, params WorkedShift[] shifts) => calculator.Workweek(Sunday, shifts);

    [Fact]
    public void AWeekUnderFortyHoursIsStraightTimeOnly()
    {
        // 8 + 8 + 8 + 7.5 = 31.5 h x $14.20 = $447.30.
        var week = Week(Calculator(rates: Rates((Library, 14.20m))),
            Worked(Library, D(2025, 1, 13), 8m), Worked(Library, D(2025, 1, 14), 8m),
            Worked(Library, D(2025, 1, 15), 8m), Worked(Library, D(2025, 1, 16), 7.5m));

        Assert.Equal(1890, week.Minutes);
        Assert.Equal(0, week.OvertimeMinutes);
        Assert.Equal(447.30m, PayRounding.ToCents(week.GrossPay));
        Assert.Equal(0m, week.OvertimePremium);
    }

    [Fact]
    public void FortyFiveHoursAtOneRatePayTimeAndAHalfForTheLastFive()
    {
        // 45 h x $15 = $675 straight time; premium 0.5 x $15 x 5 h = $37.50; gross $712.50.
        // The 40th hour passes 4 h into Friday's 9 h shift, so Friday carries all 5 overtime hours.
        var shifts = Enumerable.Range(13, 5).Select(day => Worked(Library, D(2025, 1, day), 9m)).ToArray();
        var week = Week(Calculator(), shifts);

        Assert.Equal(5 * 60, week.OvertimeMinutes);
        Assert.Equal(675.00m, PayRounding.ToCents(week.StraightTimePay));
        Assert.Equal(15.00m, PayRounding.ToCents(week.RegularRate));
        Assert.Equal(37.50m, PayRounding.ToCents(week.OvertimePremium));
        Assert.Equal(712.50m, PayRounding.ToCents(week.GrossPay));
        var friday = Assert.Single(week.Shifts, s => s.OvertimeMinutes > 0);
        Assert.Equal(D(2025, 1, 17), friday.Date);
        Assert.Equal(172.50m, PayRounding.ToCents(friday.GrossPay));
    }

    [Fact]
    public void TwoJobsAtTwoRatesPayOvertimeOnTheWeightedRegularRate()
    {
        // Library 30 h @ $15 = $450; Dining 15 h @ $20 = $300; straight time $750 for 45 h.
        // Regular rate 750 / 45 = $16.6667; premium 0.5 x 16.6667 x 5 = $41.67; gross $791.67.
        // (Paying 1.5 x the last job's $20 instead would give $800: the blend is what the law asks.)
        var calculator = Calculator(rates: Rates((Library, 15m), (Dining, 20m)));
        var week = Week(calculator,
            Worked(Library, D(2025, 1, 13), 10m), Worked(Library, D(2025, 1, 14), 10m), Worked(Library, D(2025, 1, 15), 10m),
            Worked(Dining, D(2025, 1, 16), 8m), Worked(Dining, D(2025, 1, 17), 7m));

        Assert.Equal(45 * 60, week.Minutes);
        Assert.Equal(5 * 60, week.OvertimeMinutes);
        Assert.Equal(750.00m, PayRounding.ToCents(week.StraightTimePay));
        Assert.Equal(16.67m, PayRounding.ToCents(week.RegularRate));
        Assert.Equal(41.67m, PayRounding.ToCents(week.OvertimePremium));
        Assert.Equal(791.67m, PayRounding.ToCents(week.GrossPay));

        // The overtime hours were worked on Friday's Dining shift (38 h before it), so the premium is Dining's.
        var summary = calculator.Summarize(new DateRange(Sunday, Sunday.AddDays(6)), week.Shifts.Select(s => s.Shift));
        Assert.Equal(450.00m, summary.Jobs.Single(j => j.JobKey == Library).GrossPay);
        Assert.Equal(341.67m, summary.Jobs.Single(j => j.JobKey == Dining).GrossPay);
        Assert.Equal(5m, summary.Jobs.Single(j => j.JobKey == Dining).OvertimeHours);
    }

    [Fact]
    public void ARaiseInTheMiddleOfTheWeekPaysFromItsDateAndBlendsTheRegularRate()
    {
        // $15 until Tuesday; $16 from Wednesday 2025-01-15.
        // Sun-Tue 3 x 9 h @ $15 = $405; Wed-Fri 3 x 6 h @ $16 = $288; straight time $693 for 45 h.
        // Regular rate 693 / 45 = $15.40; premium 0.5 x 15.40 x 5 = $38.50; gross $731.50.
        var rates = new PayRateTable(
            new Dictionary<string, decimal>(StringComparer.Ordinal) { [Library] = 15m },
            [new PayRate(Library, D(2025, 1, 15), 16m)]);
        var week = Week(Calculator(rates: rates),
            Worked(Library, D(2025, 1, 12), 9m), Worked(Library, D(2025, 1, 13), 9m), Worked(Library, D(2025, 1, 14), 9m),
            Worked(Library, D(2025, 1, 15), 6m), Worked(Library, D(2025, 1, 16), 6m), Worked(Library, D(2025, 1, 17), 6m));

        Assert.Equal([15m, 15m, 15m, 16m, 16m, 16m], week.Shifts.Select(s => s.HourlyRate!.Value));
        Assert.Equal(693.00m, PayRounding.ToCents(week.StraightTimePay));
        Assert.Equal(15.40m, PayRounding.ToCents(week.RegularRate));
        Assert.Equal(38.50m, PayRounding.ToCents(week.OvertimePremium));
        Assert.Equal(731.50m, PayRounding.ToCents(week.GrossPay));
    }

    [Fact]
    public void RoundedMinutesArePaidByDefaultAndActualMinutesWhenChosen()
    {
        // Five shifts of 8 h 07 min actual that the employer rounds to 8 h 00 min, at $15.
        var shifts = Enumerable.Range(13, 5).Select(day => WorkedMinutes(Library, D(2025, 1, day), 487, roundedMinutes: 480)).ToArray();

        // Rounded: 40 h x $15 = $600.00, no overtime.
        var rounded = Week(Calculator(), shifts);
        Assert.Equal(2400, rounded.Minutes);
        Assert.Equal(600.00m, PayRounding.ToCents(rounded.GrossPay));

        // Actual: 2435 min = 40 h 35 min; straight time 15 x 2435 / 60 = $608.75; premium 0.5 x 15 x 35/60 = $4.375;
        // gross $613.125, which is half a cent: rounded away from zero to $613.13.
        var actual = Week(Calculator(new PayOptions { UseRoundedTimes = false }), shifts);
        Assert.Equal(2435, actual.Minutes);
        Assert.Equal(35, actual.OvertimeMinutes);
        Assert.Equal(608.75m, PayRounding.ToCents(actual.StraightTimePay));
        Assert.Equal(613.13m, PayRounding.ToCents(actual.GrossPay));
    }

    [Fact]
    public void AShiftWithoutRoundedTimesIsPaidByItsActualMinutesEvenWhenRoundedArePreferred()
    {
        var week = Week(Calculator(), WorkedMinutes(Library, D(2025, 1, 13), 480, roundedMinutes: 465), WorkedMinutes(Library, D(2025, 1, 14), 487));

        Assert.Equal(465 + 487, week.Minutes);
        Assert.Equal(238.00m, PayRounding.ToCents(week.GrossPay));
    }

    [Fact]
    public void WithOvertimeOffEveryHourIsStraightTime()
    {
        // 45 h x $15 = $675.00 and nothing more.
        var shifts = Enumerable.Range(13, 5).Select(day => Worked(Library, D(2025, 1, day), 9m)).ToArray();
        var week = Week(Calculator(new PayOptions { OvertimeEnabled = false }), shifts);

        Assert.Equal(0, week.OvertimeMinutes);
        Assert.Equal(0m, week.OvertimePremium);
        Assert.Equal(675.00m, PayRounding.ToCents(week.GrossPay));
    }

    [Fact]
    public void AnOpenShiftCountsNoHoursUntilItsOutPunchIsFixed()
    {
        // 4 x 10 h = 40 h, $600; the open Friday shift would have pushed the week into overtime.
        var open = new WorkedShift(Library, D(2025, 1, 17), new DateTimeOffset(2025, 1, 17, 14, 0, 0, TimeSpan.Zero), null, 480, 480);
        var week = Week(Calculator(),
            Worked(Library, D(2025, 1, 13), 10m), Worked(Library, D(2025, 1, 14), 10m),
            Worked(Library, D(2025, 1, 15), 10m), Worked(Library, D(2025, 1, 16), 10m), open);

        Assert.True(open.IsOpen);
        Assert.Equal(2400, week.Minutes);
        Assert.Equal(0, week.OvertimeMinutes);
        Assert.Equal(600.00m, PayRounding.ToCents(week.GrossPay));
        Assert.Equal(0, week.Shifts.Single(s => s.Shift == open).Minutes);
    }

    [Fact]
    public void AShiftOverTheTwentyFiveHourDaylightSavingDayCountsItsRealMinutes()
    {
        // New York falls back on Sunday 2025-11-02: midnight to midnight is 25 h, not 24.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        DateTimeOffset Local(int day, int hour) =>
            new(TimeZoneInfo.ConvertTimeToUtc(new DateTime(2025, 11, day, hour, 0, 0, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
        var sunday = WorkedShift.FromPunches(Library, D(2025, 11, 2), Local(2, 0), Local(3, 0));
        var weekdays = Enumerable.Range(3, 3).Select(day => WorkedShift.FromPunches(Library, D(2025, 11, day), Local(day, 9), Local(day, 15)));

        // 25 h + 3 x 6 h = 43 h at $10: straight time $430, premium 0.5 x 10 x 3 = $15, gross $445.00
        // (by the wall clock it would be 42 h and $430.00).
        var week = Calculator(rates: Rates((Library, 10m))).Workweek(D(2025, 11, 2), [sunday, .. weekdays]);

        Assert.Equal(25 * 60, sunday.ActualMinutes);
        Assert.Equal(43 * 60, week.Minutes);
        Assert.Equal(3 * 60, week.OvertimeMinutes);
        Assert.Equal(445.00m, PayRounding.ToCents(week.GrossPay));
    }

    [Fact]
    public void PunchesCountWholeMinutesAsTheTimecardShowsThem()
    {
        var start = new DateTimeOffset(2025, 1, 13, 14, 0, 40, TimeSpan.Zero);
        var shift = WorkedShift.FromPunches(Library, D(2025, 1, 13), start, start.AddHours(8).AddSeconds(-30),
            roundedStartUtc: new DateTimeOffset(2025, 1, 13, 14, 0, 0, TimeSpan.Zero), roundedEndUtc: new DateTimeOffset(2025, 1, 13, 22, 0, 0, TimeSpan.Zero));

        Assert.Equal(480, shift.ActualMinutes);
        Assert.Equal(480, shift.RoundedMinutes);
    }

    [Fact]
    public void WhichDayStartsTheWorkweekDecidesWhetherHoursAreOvertime()
    {
        // Mon-Thu 2025-01-06..09 10 h each, then Sunday 2025-01-12 8 h, at $15.
        WorkedShift[] shifts =
        [
            .. Enumerable.Range(6, 4).Select(day => Worked(Library, D(2025, 1, day), 10m)),
            Worked(Library, D(2025, 1, 12), 8m),
        ];
        var range = new DateRange(D(2025, 1, 6), D(2025, 1, 12));

        // Sunday start: 40 h in the week of Jan 5, 8 h in the week of Jan 12; 48 h x $15 = $720.00.
        var sundayWeeks = Calculator().Summarize(range, shifts);
        Assert.Equal([D(2025, 1, 5), D(2025, 1, 12)], sundayWeeks.Workweeks.Select(w => w.Start));
        Assert.All(sundayWeeks.Workweeks, w => Assert.Equal(0m, w.OvertimeHours));
        Assert.Equal(720.00m, sundayWeeks.Totals.GrossPay);

        // Monday start: all 48 h fall in the week of Jan 6; 8 h overtime, $720 + 0.5 x 15 x 8 = $780.00.
        var mondayWeeks = Calculator(new PayOptions { WorkweekStart = DayOfWeek.Monday }).Summarize(range, shifts);
        var week = Assert.Single(mondayWeeks.Workweeks);
        Assert.Equal((D(2025, 1, 6), D(2025, 1, 12)), (week.Start, week.End));
        Assert.Equal(8m, week.OvertimeHours);
        Assert.Equal(780.00m, week.GrossPay);
    }

    [Fact]
    public void AJobWithoutAKnownRateCountsItsHoursAndIsNamed()
    {
        var week = Calculator(rates: Rates((Library, 15m))).Summarize(new DateRange(Sunday, Sunday.AddDays(6)),
            [Worked(Library, D(2025, 1, 13), 8m), Worked(Dining, D(2025, 1, 14), 4m)]);

        Assert.Equal(12m, week.Totals.Hours);
        Assert.Equal(120.00m, week.Totals.GrossPay);
        Assert.Equal([Dining], week.JobsWithoutRate);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void OvertimeFallsOnTheLastShiftsByStartThenJobWhateverOrderTheyArriveIn(int shiftsPerDay)
    {
        // Monday to Friday, 8 h a day in shiftsPerDay Library shifts (6 or 41 shifts in the week), and on Friday a Dining
        // hour that starts with the last Library shift: 41 h. By start then job, Library comes first, so Dining's hour is
        // the overtime, however the shifts arrive.
        var length = 8 * 60 / shiftsPerDay;
        var shifts = new List<WorkedShift>();
        for (var day = 13; day <= 17; day++)
        {
            for (var i = 0; i < shiftsPerDay; i++)
            {
                shifts.Add(At(Library, D(2025, 1, day), (6 * 60) + (i * length), length));
            }
        }

        shifts.Add(At(Dining, D(2025, 1, 17), (6 * 60) + ((shiftsPerDay - 1) * length), 60));
        shifts.Reverse();

        var week = new WorkweekPayCalculator(new PayOptions(), Rates((Library, 15m), (Dining, 15m))).Compute(new DateRange(Sunday, Sunday.AddDays(6)), shifts);

        Assert.Equal(41 * 60, week.Minutes);
        var overtime = Assert.Single(week.Shifts, s => s.OvertimeMinutes > 0);
        Assert.Equal(Dining, overtime.Shift.JobKey);
        Assert.Equal(60, overtime.OvertimeMinutes);
        Assert.Equal(shifts.OrderBy(s => s.StartUtc).ThenBy(s => s.JobKey, StringComparer.Ordinal), week.Shifts.Select(s => s.Shift));

        static WorkedShift At(string job, DateOnly date, int startMinute, int minutes)
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(startMinute);
            return new WorkedShift(job, date, start, start.AddMinutes(minutes), minutes, null);
        }
    }

    [Fact]
    public void AShiftOutsideTheWorkweekIsRefusedWithItsDate()
    {
        var calculator = new WorkweekPayCalculator(new PayOptions(), Rates((Library, 15m)));

        var error = Assert.Throws<ArgumentException>(() =>
            calculator.Compute(new DateRange(Sunday, Sunday.AddDays(6)), [Worked(Library, D(2025, 1, 19), 8m)]));
        Assert.Contains("2025-01-19", error.Message, StringComparison.Ordinal);
    }
}
