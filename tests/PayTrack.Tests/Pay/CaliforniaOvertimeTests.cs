using PayTrack.Web.Data;
using PayTrack.Web.Pay;
using static PayTrack.Tests.Pay.PayExamples;

namespace PayTrack.Tests.Pay;

/// <summary>California Labor Code 510, the workweek of Sunday 2025-01-12 to Saturday 2025-01-18, to the cent.</summary>
public sealed class CaliforniaOvertimeTests
{
    private static readonly DateOnly Sunday = D(2025, 1, 12);
    private static readonly PayOptions California = new() { OvertimeRule = OvertimeRule.California };

    // Worked all seven days at two rates (Library $15, Dining $20):
    //   Sun Library 10 h: 8 regular, 2 daily OT (past 8 h)
    //   Mon Library  8 h: 8 regular                                        regular so far 16
    //   Tue Dining  13 h: 8 regular, 4 daily OT (8-12 h), 1 double (past 12 h)   regular 24
    //   Wed Library  6 h: 6 regular                                        regular 30
    //   Thu Dining   6 h: 6 regular                                        regular 36
    //   Fri Library  6 h: 4 regular, 2 weekly OT (regular past 40)          regular 40
    //   Sat Dining   9 h: seventh consecutive day: first 8 h OT, 1 h double
    // 58 h = 40 regular + 16 OT (2 + 4 + 2 + 8) + 2 double (1 + 1); no hour counted twice.
    // Straight time: Library 30 h x $15 = $450, Dining 28 h x $20 = $560, $1,010.00.
    // Regular rate (29 CFR 778.115): 1010 / 58 = $17.413793...
    // Premium: 0.5 x 17.413793 x 16 + 1.0 x 17.413793 x 2 = 139.310345 + 34.827586 = $174.137931 -> $174.14.
    // Gross 1010 + 174.137931 = $1,184.137931 -> $1,184.14.
    private static WorkedShift[] SevenDayWeek() =>
    [
        Worked(Library, D(2025, 1, 12), 10m), Worked(Library, D(2025, 1, 13), 8m), Worked(Dining, D(2025, 1, 14), 13m),
        Worked(Library, D(2025, 1, 15), 6m), Worked(Dining, D(2025, 1, 16), 6m), Worked(Library, D(2025, 1, 17), 6m),
        Worked(Dining, D(2025, 1, 18), 9m),
    ];

    private static PayCalculator Calculator(PayOptions options) => PayExamples.Calculator(options, Rates((Library, 15m), (Dining, 20m)));

    [Fact]
    public void AWeekWithDailyWeeklyAndSeventhDayOvertimeAtTwoRates()
    {
        var week = Calculator(California).Workweek(Sunday, SevenDayWeek());

        Assert.Equal(58 * 60, week.Minutes);
        Assert.Equal(40 * 60, week.RegularMinutes);
        Assert.Equal(16 * 60, week.OvertimeMinutes);
        Assert.Equal(2 * 60, week.DoubleTimeMinutes);
        Assert.Equal(1010.00m, PayRounding.ToCents(week.StraightTimePay));
        Assert.Equal(17.41m, PayRounding.ToCents(week.RegularRate));
        Assert.Equal(174.14m, PayRounding.ToCents(week.OvertimePremium));
        Assert.Equal(1184.14m, PayRounding.ToCents(week.GrossPay));

        var byDay = week.Shifts.ToDictionary(s => s.Date, s => (s.RegularMinutes / 60, s.OvertimeMinutes / 60, s.DoubleTimeMinutes / 60));
        Assert.Equal((8, 2, 0), byDay[D(2025, 1, 12)]);
        Assert.Equal((8, 4, 1), byDay[D(2025, 1, 14)]);
        Assert.Equal((4, 2, 0), byDay[D(2025, 1, 17)]);
        Assert.Equal((0, 8, 1), byDay[D(2025, 1, 18)]);

        // Saturday: 9 h x $20 = $180 straight; premium 1010 x (8 x 0.5 + 1 x 1) / 58 = 5050 / 58 = $87.068966; $267.07.
        Assert.Equal(267.07m, PayRounding.ToCents(week.Shifts.Single(s => s.Date == D(2025, 1, 18)).GrossPay));
    }

    [Fact]
    public void TheSameWeekUnderFederalRulesPaysOnlyThe18HoursPastForty()
    {
        // 58 - 40 = 18 h at half the regular rate: 0.5 x 1010 / 58 x 18 = $156.724138 -> $156.72; gross $1,166.72.
        var week = Calculator(new PayOptions()).Workweek(Sunday, SevenDayWeek());

        Assert.Equal(18 * 60, week.OvertimeMinutes);
        Assert.Equal(0, week.DoubleTimeMinutes);
        Assert.Equal(156.72m, PayRounding.ToCents(week.OvertimePremium));
        Assert.Equal(1166.72m, PayRounding.ToCents(week.GrossPay));
    }

    [Fact]
    public void DailyOvertimeHoursDoNotCountTowardsTheWeeklyForty()
    {
        // Mon-Sat 10 h at $15 (Sunday off, so no seventh day): 2 h daily OT each day = 12 h; regular 8 x 6 = 48 h,
        // and Saturday's 8 regular hours are past 40, so they become weekly OT: 20 h OT in all, 40 regular.
        // Counting the daily hours again in the weekly rule would give 32 h. Premium 0.5 x $15 x 20 = $150;
        // straight 60 x 15 = $900; gross $1,050.00.
        var shifts = Enumerable.Range(13, 6).Select(day => Worked(Library, D(2025, 1, day), 10m)).ToArray();

        var week = Calculator(California).Workweek(Sunday, shifts);

        Assert.Equal(40 * 60, week.RegularMinutes);
        Assert.Equal(20 * 60, week.OvertimeMinutes);
        Assert.Equal(0, week.DoubleTimeMinutes);
        Assert.Equal(1050.00m, PayRounding.ToCents(week.GrossPay));
        Assert.Equal((0, 10 * 60), (week.Shifts[^1].RegularMinutes, week.Shifts[^1].OvertimeMinutes));
    }

    [Fact]
    public void TwoShiftsOfOneDayAddUpForTheDailyRules()
    {
        // Monday: Library 7 h then Dining 6 h = 13 h: 8 regular (7 + 1), 4 OT and 1 double time on the Dining shift.
        // Straight 7 x 15 + 6 x 20 = $225; regular rate 225 / 13 = $17.307692;
        // premium 0.5 x 17.307692 x 4 + 17.307692 x 1 = 225 x 3 / 13 = $51.923077 -> $51.92; gross $276.923077 -> $276.92.
        var week = Calculator(California).Workweek(Sunday,
            [Worked(Library, D(2025, 1, 13), 7m, startHour: 6), Worked(Dining, D(2025, 1, 13), 6m, startHour: 14)]);

        var dining = week.Shifts.Single(s => s.JobKey == Dining);
        Assert.Equal((60, 240, 60), (dining.RegularMinutes, dining.OvertimeMinutes, dining.DoubleTimeMinutes));
        Assert.Equal(276.92m, PayRounding.ToCents(week.GrossPay));
    }
}
