using PayTrack.Web.Pay;
using static PayTrack.Tests.Pay.PayExamples;

namespace PayTrack.Tests.Pay;

/// <summary>
/// An award of 2025-08-25 to 2025-12-12 on the Library job ($15). Mondays, Wednesdays and Fridays, 4 h each, from
/// 2025-08-25 to 2025-10-17: 8 weeks x 3 = 24 shifts x $60 = $1,440 earned by today, Sunday 2025-10-19.
/// A Dining shift does not count. The pace: the 28 days 09-22..10-19 hold 12 shifts, $720 and 48 h, so
/// $720 / 28 = $25.714286 a day, $180.00 and 12 h a week.
/// </summary>
public sealed class WorkStudyTests
{
    private static readonly DateOnly Today = D(2025, 10, 19);

    private static IReadOnlyList<ShiftPay> Pays()
    {
        var shifts = new List<WorkedShift>();
        for (var monday = D(2025, 8, 25); monday < Today; monday = monday.AddDays(7))
        {
            shifts.AddRange([Worked(Library, monday, 4m), Worked(Library, monday.AddDays(2), 4m), Worked(Library, monday.AddDays(4), 4m)]);
        }

        shifts.Add(Worked(Dining, D(2025, 10, 14), 5m));
        var calculator = PayExamples.Calculator(rates: Rates((Library, 15m), (Dining, 20m)));
        return calculator.Pays(new DateRange(D(2025, 8, 25), Today), shifts);
    }

    [Fact]
    public void AnAwardThatRunsOutBeforeItEndsSaysWhenAndHowManyHoursWouldMakeItLast()
    {
        // $2,500 - $1,440 = $1,060 left. 1060 / 25.714286 = 41.2 days -> 42 whole days: 10-19 + 42 = 2025-11-30,
        // before 12-12. Days left: 10-19 to 12-12 = 54; 1060 x 7 / 54 = $137.41 a week / $15 = 9.16 h a week.
        var award = new WorkStudyAward(1, "Work-study 2025-26", 2500m, D(2025, 8, 25), D(2025, 12, 12), [Library]);

        var projection = WorkStudy.Project(award, Pays(), Today);

        Assert.Equal(1440.00m, projection.Earned);
        Assert.Equal(1060.00m, projection.Remaining);
        Assert.Equal(180.00m, projection.WeeklyPace);
        Assert.Equal(12.00m, projection.WeeklyPaceHours);
        Assert.Equal(D(2025, 11, 30), projection.ProjectedRunOut);
        Assert.True(projection.RunsOutEarly);
        Assert.Equal(9.16m, projection.HoursPerWeekToLast);
        Assert.Equal("At $180.00 a week the award runs out on November 30, 2025, before it ends on December 12, 2025. About 9.16 hours a week would make it last.",
            projection.Message);
    }

    [Fact]
    public void AnAwardThatLastsGivesNoWarning()
    {
        // $3,000 - $1,440 = $1,560; 1560 / 25.714286 = 60.7 -> 61 days: 2025-12-19, after the award ends.
        var award = new WorkStudyAward(1, "Work-study", 3000m, D(2025, 8, 25), D(2025, 12, 12), [Library]);

        var projection = WorkStudy.Project(award, Pays(), Today);

        Assert.Equal(D(2025, 12, 19), projection.ProjectedRunOut);
        Assert.False(projection.RunsOutEarly);
        Assert.Null(projection.HoursPerWeekToLast);
    }

    [Fact]
    public void AnAwardEarnedInFullIsUsedUp()
    {
        var award = new WorkStudyAward(1, "Small award", 1000m, D(2025, 8, 25), D(2025, 12, 12), [Library]);

        var projection = WorkStudy.Project(award, Pays(), Today);

        Assert.Equal(0m, projection.Remaining);
        Assert.StartsWith("The award is used up", projection.Message, StringComparison.Ordinal);
    }
}
