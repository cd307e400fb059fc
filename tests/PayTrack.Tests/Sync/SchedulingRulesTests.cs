using PayTrack.Web.Data;
using PayTrack.Web.Sync;
using PayTrack.Web.Kronos;
using PayTrack.Web.Pay;

namespace PayTrack.Tests.Sync;

public sealed class SchedulingRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 18);

    [Fact]
    public void CatchupChunksCoverEachJobFromItsHireDateToTodayExactlyOnceNewestFirst()
    {
        EmployeeJob[] jobs =
        [
            new() { EmployeeId = 10234, PayRuleId = 7, HireDate = new DateTimeOffset(2022, 8, 29, 0, 0, 0, TimeSpan.Zero) },
            new() { EmployeeId = 10234, PayRuleId = 12, HireDate = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero) },
        ];

        var plan = CatchupPlan.For(jobs, Today, chunkDays: 92, yearsWithoutHireDate: 5);

        Assert.Equal(Enumerable.Range(0, plan.Count), plan.Select(c => c.Seq));
        Assert.Equal(plan.OrderByDescending(c => c.End).Select(c => c.Seq), plan.Select(c => c.Seq));
        foreach (var job in jobs)
        {
            var days = plan.Where(c => c.PayRuleId == job.PayRuleId)
                .SelectMany(c => Enumerable.Range(0, c.End.DayNumber - c.Start.DayNumber + 1).Select(c.Start.AddDays))
                .ToList();
            var hired = DateOnly.FromDateTime(job.HireDate!.Value.UtcDateTime);
            Assert.Equal(Enumerable.Range(0, Today.DayNumber - hired.DayNumber + 1).Select(hired.AddDays), days.Order());
        }

        Assert.All(plan, c => Assert.InRange(c.End.DayNumber - c.Start.DayNumber + 1, 1, 92));
        Assert.Equal((Today, Today), (plan[0].End, plan[1].End));
    }

    [Fact]
    public void ACatchupOfAJobWithoutAHireDateStartsTheConfiguredYearsBackAndOneHiredTomorrowHasNoChunks()
    {
        var undated = CatchupPlan.For([new EmployeeJob { EmployeeId = 1, PayRuleId = 2 }], Today, chunkDays: 366, yearsWithoutHireDate: 3);
        var future = CatchupPlan.For([new EmployeeJob { EmployeeId = 1, PayRuleId = 2, HireDate = new DateTimeOffset(2026, 11, 19, 0, 0, 0, TimeSpan.Zero) }], Today, 92, 5);

        Assert.Equal(new DateOnly(2023, 11, 18), undated[^1].Start);
        Assert.Empty(future);
    }

    [Fact]
    public void TheUpdateWindowIsTheCurrentAndPreviousPayPeriodButNeverUnderFourWeeks()
    {
        var biweekly = new PayOptions { PeriodKind = PayPeriodKind.Biweekly, PeriodAnchor = new DateOnly(2024, 1, 7) };

        // 2026-11-18 is in the period starting Sunday 2026-11-08; the previous one starts 2026-10-25. That is 25 days,
        // so the four-week floor applies.
        Assert.Equal((new DateOnly(2026, 10, 22), Today), UpdateWindow.For(Today, biweekly, previousPeriods: 1, minDays: 28));
        // Two previous periods reach further back than four weeks.
        Assert.Equal((new DateOnly(2026, 10, 11), Today), UpdateWindow.For(Today, biweekly, previousPeriods: 2, minDays: 28));
        Assert.Equal((new DateOnly(2026, 11, 8), Today), UpdateWindow.For(Today, biweekly, previousPeriods: 0, minDays: 1));
    }
}
