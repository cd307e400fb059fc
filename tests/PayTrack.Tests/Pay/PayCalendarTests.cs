using PayTrack.Web.Data;
using PayTrack.Web.Pay;
using static PayTrack.Tests.Pay.PayExamples;

namespace PayTrack.Tests.Pay;

public sealed class PayCalendarTests
{
    private static PayCalendar SemiMonthly(int paydayOffset = 5) =>
        new(new PayOptions { PeriodKind = PayPeriodKind.SemiMonthly, PaydayOffsetDays = paydayOffset });

    private static PayCalendar Biweekly(DateOnly anchor, int paydayOffset = 6) =>
        new(new PayOptions { PeriodKind = PayPeriodKind.Biweekly, PeriodAnchor = anchor, PaydayOffsetDays = paydayOffset });

    [Theory]
    [InlineData("2025-02-20", "2025-02-16", "2025-02-28", "2025-03-05")]
    [InlineData("2024-02-20", "2024-02-16", "2024-02-29", "2024-03-05")]
    [InlineData("2024-02-29", "2024-02-16", "2024-02-29", "2024-03-05")]
    [InlineData("2025-02-15", "2025-02-01", "2025-02-15", "2025-02-20")]
    [InlineData("2025-01-31", "2025-01-16", "2025-01-31", "2025-02-05")]
    [InlineData("2025-04-30", "2025-04-16", "2025-04-30", "2025-05-05")]
    [InlineData("2025-03-01", "2025-03-01", "2025-03-15", "2025-03-20")]
    [InlineData("2025-12-31", "2025-12-16", "2025-12-31", "2026-01-05")]
    public void SemiMonthlyPeriodsRunFirstToFifteenthThenToTheMonthsLastDay(string date, string start, string end, string payday)
    {
        var period = SemiMonthly().PeriodContaining(DateOnly.Parse(date));

        Assert.Equal(new PayPeriod(DateOnly.Parse(start), DateOnly.Parse(end), DateOnly.Parse(payday)), period);
    }

    [Fact]
    public void SemiMonthlyPeriodsOverARangeFollowEachOtherAcrossMonthEndsOfALeapYear()
    {
        var periods = SemiMonthly().PeriodsOverlapping(new DateRange(D(2024, 1, 20), D(2024, 3, 3)));

        Assert.Equal(
            [(D(2024, 1, 16), D(2024, 1, 31)), (D(2024, 2, 1), D(2024, 2, 15)), (D(2024, 2, 16), D(2024, 2, 29)), (D(2024, 3, 1), D(2024, 3, 15))],
            periods.Select(p => (p.Start, p.End)));
    }

    [Theory]
    [InlineData("2025-01-05", "2025-01-18")]
    [InlineData("2025-01-18", "2025-01-18")]
    [InlineData("2025-01-19", "2025-02-01")]
    [InlineData("2025-03-04", "2025-03-15")]
    public void BiweeklyPeriodsRepeatForwardFromAnAnchorBeforeTheDate(string date, string end)
    {
        var period = Biweekly(D(2025, 1, 5)).PeriodContaining(DateOnly.Parse(date));

        Assert.Equal(DateOnly.Parse(end), period.End);
        Assert.Equal(period.End.AddDays(-13), period.Start);
        Assert.Equal(period.End.AddDays(6), period.Payday);
    }

    [Theory]
    [InlineData("2025-05-31", "2025-05-18")]
    [InlineData("2025-05-18", "2025-05-18")]
    [InlineData("2025-05-17", "2025-05-04")]
    [InlineData("2025-03-04", "2025-02-23")]
    [InlineData("2025-06-01", "2025-06-01")]
    public void BiweeklyPeriodsRepeatBackwardFromAnAnchorAfterTheDate(string date, string start)
    {
        var period = Biweekly(D(2025, 6, 1)).PeriodContaining(DateOnly.Parse(date));

        Assert.Equal(DateOnly.Parse(start), period.Start);
        Assert.Equal(period.Start.AddDays(13), period.End);
    }

    [Fact]
    public void WeeklyPeriodsStartOnTheAnchorsWeekday()
    {
        var calendar = new PayCalendar(new PayOptions { PeriodKind = PayPeriodKind.Weekly, PeriodAnchor = D(2025, 1, 8), PaydayOffsetDays = 2 });

        Assert.Equal(new PayPeriod(D(2025, 1, 1), D(2025, 1, 7), D(2025, 1, 9)), calendar.PeriodContaining(D(2025, 1, 7)));
        Assert.Equal(new PayPeriod(D(2025, 1, 8), D(2025, 1, 14), D(2025, 1, 16)), calendar.PeriodContaining(D(2025, 1, 8)));
    }

    [Theory]
    [InlineData(DayOfWeek.Sunday, "2025-01-12", "2025-01-12")]
    [InlineData(DayOfWeek.Sunday, "2025-01-18", "2025-01-12")]
    [InlineData(DayOfWeek.Sunday, "2025-01-19", "2025-01-19")]
    [InlineData(DayOfWeek.Monday, "2025-01-12", "2025-01-06")]
    [InlineData(DayOfWeek.Monday, "2025-01-13", "2025-01-13")]
    [InlineData(DayOfWeek.Saturday, "2025-01-17", "2025-01-11")]
    public void TheWorkweekStartsOnTheConfiguredDay(DayOfWeek firstDay, string date, string start)
    {
        var week = new PayCalendar(new PayOptions { WorkweekStart = firstDay }).WorkweekContaining(DateOnly.Parse(date));

        Assert.Equal(DateOnly.Parse(start), week.Start);
        Assert.Equal(week.Start.AddDays(6), week.End);
        Assert.Equal(firstDay, week.Start.DayOfWeek);
    }

    [Fact]
    public void WorkweeksOverARangeIncludeThosePartlyInsideIt()
    {
        var weeks = new PayCalendar(new PayOptions()).WorkweeksOverlapping(new DateRange(D(2025, 1, 1), D(2025, 1, 31)));

        Assert.Equal([D(2024, 12, 29), D(2025, 1, 5), D(2025, 1, 12), D(2025, 1, 19), D(2025, 1, 26)], weeks.Select(w => w.Start));
    }

    [Theory]
    [InlineData("2025-01-10", "2025-01-10")]
    [InlineData("2025-01-11", "2025-01-24")]
    [InlineData("2025-01-20", "2025-01-24")]
    [InlineData("2025-01-24", "2025-01-24")]
    [InlineData("2025-01-25", "2025-02-07")]
    public void TheNextPaydayIsTheFirstOnOrAfterTheDate(string from, string payday)
    {
        // Periods Dec 22 - Jan 4 (paid Friday Jan 10), Jan 5-18 (paid Jan 24) and Jan 19 - Feb 1 (paid Feb 7).
        Assert.Equal(DateOnly.Parse(payday), Biweekly(D(2025, 1, 5)).NextPayday(DateOnly.Parse(from)));
    }

    [Fact]
    public void APaydayOnThePeriodsLastDayIsThatDay()
    {
        Assert.Equal(D(2024, 2, 29), SemiMonthly(paydayOffset: 0).NextPayday(D(2024, 2, 16)));
        Assert.Equal(D(2024, 3, 15), SemiMonthly(paydayOffset: 0).NextPayday(D(2024, 3, 1)));
    }

    [Fact]
    public void UnusableSettingsAreRefusedWithEveryReason()
    {
        var options = new PayOptions { PaydayOffsetDays = -1, WeeklyCapHours = 200m, WorkweekStart = (DayOfWeek)9 };

        Assert.Equal(3, options.Validate().Count);
        var error = Assert.Throws<ArgumentException>(() => new PayCalendar(options));
        Assert.Contains("Payday must be 0 to 60 days", error.Message, StringComparison.Ordinal);
        Assert.Contains("weekly cap must be 0 (off) to 168 hours", error.Message, StringComparison.Ordinal);
        Assert.Empty(new PayOptions().Validate());
    }
}
