using PayTrack.Web.Kronos;
using PayTrack.Web.Pay;

namespace PayTrack.Web.Sync;

/// <summary>How a catchup cuts a user's history into checkpointed chunks.</summary>
public static class CatchupPlan
{
    /// <summary>
    /// Chunks of every job from its hire date to <paramref name="today"/>, newest first (the dashboard fills from the
    /// present backwards), each at most <paramref name="chunkDays"/> long so one chunk is one Kronos request. A job
    /// without a hire date starts <paramref name="yearsWithoutHireDate"/> years back.
    /// </summary>
    public static IReadOnlyList<ChunkPlan> For(IReadOnlyList<EmployeeJob> jobs, DateOnly today, int chunkDays, int yearsWithoutHireDate)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkDays, 1);
        var ranges = new List<(DateOnly Start, DateOnly End, long EmployeeId, long PayRuleId)>();
        foreach (var job in jobs)
        {
            // The site writes a hire date as midnight UTC of the local date.
            var hired = job.HireDate is { } hire ? DateOnly.FromDateTime(hire.UtcDateTime) : today.AddYears(-yearsWithoutHireDate);
            for (var end = today; end >= hired; end = end.AddDays(-chunkDays))
            {
                var start = end.AddDays(1 - chunkDays);
                ranges.Add((start < hired ? hired : start, end, job.EmployeeId, job.PayRuleId));
            }
        }

        return ranges
            .OrderByDescending(r => r.End).ThenBy(r => r.EmployeeId).ThenBy(r => r.PayRuleId)
            .Select((r, i) => new ChunkPlan(i, r.EmployeeId, r.PayRuleId, r.Start, r.End))
            .ToList();
    }
}

/// <summary>The dates update-punches re-reads each day.</summary>
public static class UpdateWindow
{
    /// <summary>
    /// The current pay period and <paramref name="previousPeriods"/> before it, through <paramref name="today"/>, and
    /// never fewer than <paramref name="minDays"/> days: supervisors fix missed punches days or weeks late.
    /// </summary>
    public static (DateOnly Start, DateOnly End) For(DateOnly today, PayOptions pay, int previousPeriods, int minDays)
    {
        var calendar = new PayCalendar(pay);
        var start = calendar.PeriodContaining(today).Start;
        for (var i = 0; i < previousPeriods; i++)
        {
            start = calendar.PeriodContaining(start.AddDays(-1)).Start;
        }

        var floor = today.AddDays(1 - minDays);
        return (start < floor ? start : floor, today);
    }
}
