using PayTrack.Web.Kronos;
using PayTrack.Web.Timecards;

using static PayTrack.Tests.Timecards.TimecardTestKit;

namespace PayTrack.Tests.Timecards;

public sealed class IngestPlannerTests
{
    private static readonly CleaningRules Rules = new(TimeSpan.FromHours(12));

    private static readonly EmployeeList TwoJobs = new()
    {
        List =
        [
            new EmployeeJob { EmployeeId = 10234, PayRuleId = 7, DepartmentDesc = "Library Circulation" },
            new EmployeeJob { EmployeeId = 20417, PayRuleId = 3, DepartmentDesc = "Dining Services" },
        ],
    };

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();

    private static TimecardPeriod Period(string start, string end, params WirePunch[] punches) => new()
    {
        PeriodStart = DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture),
        PeriodEnd = DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture),
        Days = punches.GroupBy(p => p.InDateTime.Date).Select(g => new TimecardDay { Day = new DateTimeOffset(g.Key, TimeSpan.Zero), Punches = g.ToList() }).ToList(),
    };

    private static WirePunch Punch(string? id, string inAt, string? outAt, string? updatedOn = null) => new()
    {
        Id = id,
        InDateTime = Utc(inAt),
        OutDateTime = outAt is null ? null : Utc(outAt),
        EndReason = outAt is null ? "missedOut" : "normal",
        UpdatedOn = updatedOn is null ? null : Utc(updatedOn),
    };

    [Fact]
    public void TheSamePunchFromOverlappingRangesIsPlannedOnce()
    {
        var punch = Punch("p-1", "2023-09-05T13:00:00Z", "2023-09-05T17:00:00Z");
        var plan = IngestPlanner.Plan("planner-user", TwoJobs,
            [Timecard(10234, 7, [Period("2023-09-03", "2023-09-16", punch), Period("2023-09-05", "2023-09-30", punch, Punch("p-2", "2023-09-20T13:00:00Z", "2023-09-20T15:00:00Z"))])],
            "America/New_York", Rules);

        Assert.Empty(plan.Problems);
        Assert.Equal(["id:p-1", "id:p-2"], plan.Jobs[0].Punches.Select(p => p.Punch.PunchKey));
        Assert.Equal((new DateOnly(2023, 9, 3), new DateOnly(2023, 9, 30)), (plan.Jobs[0].FromDate, plan.Jobs[0].ToDate));
    }

    [Fact]
    public void OfTwoVersionsOfAPunchInOneBatchTheNewerWins()
    {
        var missed = Punch("p-9", "2023-10-02T13:00:00Z", null, "2023-10-02T13:00:05Z");
        var fixedLater = Punch("p-9", "2023-10-02T13:00:00Z", "2023-10-02T17:00:00Z", "2023-10-06T09:00:00Z") with { Edited = true };

        var newerFirst = IngestPlanner.Plan("planner-user", TwoJobs, [Timecard(10234, 7, [Period("2023-10-01", "2023-10-14", fixedLater), Period("2023-10-01", "2023-10-14", missed)])], "America/New_York", Rules);
        var newerLast = IngestPlanner.Plan("planner-user", TwoJobs, [Timecard(10234, 7, [Period("2023-10-01", "2023-10-14", missed), Period("2023-10-01", "2023-10-14", fixedLater)])], "America/New_York", Rules);

        Assert.Equal(Utc("2023-10-02T17:00:00Z"), Assert.Single(newerFirst.Jobs[0].Punches).Punch.OutAt);
        Assert.Equal(Utc("2023-10-02T17:00:00Z"), Assert.Single(newerLast.Jobs[0].Punches).Punch.OutAt);
    }

    [Fact]
    public void PunchWithoutIdIsIdentifiedByItsInPunch()
    {
        var plan = IngestPlanner.Plan("planner-user", TwoJobs,
            [Timecard(20417, 3, [Period("2023-09-03", "2023-09-16", Punch(null, "2023-09-05T13:00:00+00:00", "2023-09-05T17:00:00Z"), Punch("", "2023-09-05T13:00:00.000Z", "2023-09-05T17:30:00Z"))])],
            "America/New_York", Rules);

        var (punch, _) = Assert.Single(plan.Jobs[1].Punches);
        Assert.Equal("in:2023-09-05T13:00:00.000Z", punch.PunchKey);
        Assert.Null(punch.SiteId);
    }

    [Fact]
    public void TwoJobsOnOneDayArePlannedSeparately()
    {
        var plan = IngestPlanner.Plan("planner-user", TwoJobs,
            [
                Timecard(10234, 7, [Period("2023-09-03", "2023-09-16", Punch("p-1", "2023-09-05T13:00:00Z", "2023-09-05T17:00:00Z"))]),
                Timecard(20417, 3, [Period("2023-09-03", "2023-09-16", Punch("p-1", "2023-09-05T18:00:00Z", "2023-09-05T21:00:00Z"))]),
            ],
            "America/New_York", Rules);

        Assert.Equal([1, 1], plan.Jobs.Select(j => j.Punches.Count));
        Assert.All(plan.Jobs, j => Assert.Equal(new DateOnly(2023, 9, 5), j.Punches[0].Shift.LocalDate));
    }

    [Fact]
    public void ProblemsNameWhereTheyAreAndPlanNothing()
    {
        var plan = IngestPlanner.Plan("planner-user", TwoJobs,
            [
                Timecard(10234, 7, [new TimecardPeriod { Days = [new TimecardDay { Punches = [Punch("ok", "2023-09-05T13:00:00Z", "2023-09-05T15:00:00Z"), null!, Punch("x", "2023-09-06T13:00:00Z", null) with { EndReason = null! }] }] }]),
                Timecard(99, 1, []),
            ],
            "America/New_York", Rules);

        Assert.Empty(plan.Jobs);
        Assert.Equal(
            [
                "$.timecards[0].periods[0].days[0].punches[1]: An empty entry (null) instead of a punch.",
                "$.timecards[0].periods[0].days[0].punches[2].endreason: Required, but missing or empty.",
                "$.timecards[1]: Employee 99 with pay rule 1 is not in the employee list.",
            ],
            plan.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void AJobListedTwiceOrAnUnknownDefaultZoneIsAProblem()
    {
        var twice = IngestPlanner.Plan("planner-user", new EmployeeList { List = [.. TwoJobs.List, TwoJobs.List[0]] }, [], "America/New_York", Rules);
        var badZone = IngestPlanner.Plan("planner-user", TwoJobs, [], "Eastern", Rules);

        Assert.Equal("$.employee.list[2]: Employee 10234 with pay rule 7 is listed twice.", Assert.Single(twice.Problems).ToString());
        Assert.Equal("$.timezone: 'Eastern' is not a known IANA time zone.", Assert.Single(badZone.Problems).ToString());
    }
}
