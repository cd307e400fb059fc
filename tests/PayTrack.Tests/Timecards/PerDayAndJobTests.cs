using PayTrack.Web.Pay;
using PayTrack.Web.Timecards;

namespace PayTrack.Tests.Timecards;

/// <summary>The overview's per-day-and-job sums, computed in C# from the shifts it reads once.</summary>
public sealed class PerDayAndJobTests
{
    private static readonly DateOnly Monday = new(2025, 3, 3);

    private static ShiftMinutes Row(long job, DateOnly date, int hour, int worked, int paid) =>
        new(job, date, new DateTimeOffset(date, new TimeOnly(hour, 0), TimeSpan.Zero), new DateTimeOffset(date, new TimeOnly(hour, 0), TimeSpan.Zero).AddMinutes(worked), worked, paid, Rounded: true);

    [Fact]
    public void EachDayAndJobIsOneShiftFromItsFirstPunchInTheOrderOfDaysAndFirstPunches()
    {
        // Out of order on purpose: job 2's later shift comes first, and Tuesday before Monday.
        ShiftMinutes[] rows =
        [
            Row(2, Monday, 15, 60, 75),
            Row(1, Monday.AddDays(1), 8, 120, 120),
            Row(1, Monday, 9, 240, 240),
            Row(2, Monday, 13, 90, 90),
            Row(1, Monday, 18, 30, 15),
        ];

        var worked = TimecardReads.PerDayAndJob(rows, job => $"job{job}", paidMinutes: false);
        var paid = TimecardReads.PerDayAndJob(rows, job => $"job{job}", paidMinutes: true);

        Assert.Equal(
            [("job1", Monday, 9, 270), ("job2", Monday, 13, 150), ("job1", Monday.AddDays(1), 8, 120)],
            worked.Select(s => (s.JobKey, s.LocalDate, s.StartUtc.Hour, s.ActualMinutes)));
        Assert.Equal([255, 165, 120], paid.Select(s => s.ActualMinutes));
        Assert.All(worked, s => Assert.Equal(s.StartUtc.AddMinutes(s.ActualMinutes), s.EndUtc));
    }

    [Fact]
    public void ShiftsInDayOrderSumAsShiftsInAnyOrder()
    {
        // In day order, as the overview reads them, but not in order of punches within a day; on Tuesday two jobs start
        // at the same time (the one that appears first stays first).
        var tuesday = Monday.AddDays(1);
        var thursday = Monday.AddDays(3);
        ShiftMinutes[] rows =
        [
            Row(2, Monday, 15, 60, 75),
            Row(1, Monday, 9, 240, 240),
            Row(2, Monday, 13, 90, 90),
            Row(1, Monday, 18, 30, 15),
            Row(3, tuesday, 8, 120, 120),
            Row(1, tuesday, 8, 60, 45),
            Row(1, thursday, 10, 45, 45),
        ];

        foreach (var paidMinutes in new[] { false, true })
        {
            var byDay = TimecardReads.PerDayAndJob(rows, job => $"job{job}", paidMinutes);
            var inAnyOrder = TimecardReads.PerDayAndJob(OneByOne(rows), job => $"job{job}", paidMinutes);
            Assert.Equal<WorkedShift>(inAnyOrder, byDay);
        }

        Assert.Equal(
            [("job1", Monday, 9, 270), ("job2", Monday, 13, 150), ("job3", tuesday, 8, 120), ("job1", tuesday, 8, 60), ("job1", thursday, 10, 45)],
            TimecardReads.PerDayAndJob(rows, job => $"job{job}", paidMinutes: false).Select(s => (s.JobKey, s.LocalDate, s.StartUtc.Hour, s.ActualMinutes)));
    }

    [Fact]
    public void MinutesStoredBeyondAnyRealDayCountAsNone()
    {
        var absurd = new ShiftMinutes(1, Monday, new DateTimeOffset(Monday, new TimeOnly(9, 0), TimeSpan.Zero), null, int.MaxValue, int.MaxValue, Rounded: true);

        var shift = Assert.Single(TimecardReads.PerDayAndJob([absurd, absurd], job => "job1", paidMinutes: true));

        Assert.Equal(0, shift.ActualMinutes);
    }

    /// <summary>The rows one by one, as a sequence that is not a list: the sums must not depend on their order.</summary>
    private static IEnumerable<ShiftMinutes> OneByOne(IEnumerable<ShiftMinutes> rows)
    {
        foreach (var row in rows)
        {
            yield return row;
        }
    }
}
