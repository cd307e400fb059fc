using System.Globalization;
using PayTrack.Web.Data;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Timecards;

/// <summary>A validation problem and where it is: a JSON path in the backup file's shape, or a line and position.</summary>
public sealed record IngestProblemInfo(string Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}

/// <summary>
/// The punches of one job in a batch, each identity once, and the dates the batch covered. Each punch is the row to
/// store (instants in UTC, its identity) with the shift the cleaning rules made of it on its own; their job ids are
/// set when the batch knows them.
/// </summary>
public sealed class PlannedJob(EmployeeJob job)
{
    public EmployeeJob Job { get; } = job;

    public IList<(RawPunch Punch, Shift Shift)> Punches { get; } = new List<(RawPunch, Shift)>();

    public DateOnly? FromDate { get; set; }

    public DateOnly? ToDate { get; set; }

    internal Dictionary<string, int> Index { get; } = new(StringComparer.Ordinal);
}

public sealed record IngestPlan(IReadOnlyList<PlannedJob> Jobs, IReadOnlyList<IngestProblemInfo> Problems)
{
    public int PunchCount => Jobs.Sum(j => j.Punches.Count);
}

/// <summary>
/// Validates a batch in the wire records' shapes and turns it into planned punches, without I/O. The same punch
/// returned twice (overlapping date ranges) is kept once: the newest by updatedOn, the later one on a tie.
/// </summary>
public static class IngestPlanner
{
    /// <summary>Stored problems per batch; a file with more is broken beyond listing.</summary>
    public const int MaxProblems = 1000;

    public static IngestPlan Plan(
        string userId,
        EmployeeList? jobs,
        IReadOnlyList<JobTimecard>? timecards,
        string defaultTimeZone,
        CleaningRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var problems = new Problems();
        if (!CleaningRules.IsKnownZone(defaultTimeZone))
        {
            problems.Add("$.timezone", $"'{defaultTimeZone}' is not a known IANA time zone.");
        }

        var planned = PlanJobs(jobs, problems);
        if (problems.Count > 0)
        {
            return new IngestPlan([], problems.List);
        }

        for (var t = 0; t < (timecards?.Count ?? 0); t++)
        {
            var timecard = timecards![t];
            var (employeeId, payRuleId, periods) = (timecard.EmployeeId, timecard.PayRuleId, timecard.Periods);
            var at = Path("$.timecards", t);
            if (!planned.TryGetValue((employeeId, payRuleId), out var job))
            {
                problems.Add(at, Describe(employeeId, payRuleId) + " is not in the employee list.");
                continue;
            }

            for (var p = 0; p < (periods?.Count ?? 0); p++)
            {
                AddPeriod(job, periods![p], Path(at + ".periods", p), problems, (rules, userId, defaultTimeZone));
            }
        }

        return problems.Count > 0 ? new IngestPlan([], problems.List) : new IngestPlan(planned.Values.ToList(), []);
    }

    /// <summary>The identity of a punch within its job: the site's id, or its in-punch instant when it has none.</summary>
    public static string KeyOf(string? siteId, DateTimeOffset inAt) =>
        string.IsNullOrWhiteSpace(siteId)
            ? "in:" + inAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : "id:" + siteId;

    public static string Describe(long employeeId, long payRuleId) =>
        string.Create(CultureInfo.InvariantCulture, $"Employee {employeeId} with pay rule {payRuleId}");

    private static OrderedDictionary<(long, long), PlannedJob> PlanJobs(EmployeeList? jobs, Problems problems)
    {
        var planned = new OrderedDictionary<(long, long), PlannedJob>();
        if (jobs?.List is null)
        {
            problems.Add("$.employee.list", "The employee list is missing.");
            return planned;
        }

        for (var i = 0; i < jobs.List.Count; i++)
        {
            var job = jobs.List[i];
            if (job is null)
            {
                problems.Add(Path("$.employee.list", i), "An empty entry (null) instead of a job.");
            }
            else if (!CheckJob(job, Path("$.employee.list", i), problems) && !planned.TryAdd((job.EmployeeId, job.PayRuleId), new PlannedJob(job)))
            {
                problems.Add(Path("$.employee.list", i), Describe(job.EmployeeId, job.PayRuleId) + " is listed twice.");
            }
        }

        return planned;
    }

    /// <summary>Adds the job's values that are out of bounds to the problems; true when there was one.</summary>
    private static bool CheckJob(EmployeeJob job, string at, Problems problems)
    {
        var before = problems.Count;
        if (job.EmployeeId < 0 || job.PayRuleId < 0 || job.BadgeNum < 0)
        {
            problems.Add(at, "Expected ids (employeeid, payruleid, badgenum) of 0 or more.");
        }

        problems.AddIf(at + ".basewagerate", TimecardLimits.Wage(job.BaseWageRate));
        problems.AddIf(at + ".firstname", TimecardLimits.Text(job.FirstName, TimecardLimits.MaxNameLength, "a name"));
        problems.AddIf(at + ".department_desc", TimecardLimits.Text(job.DepartmentDesc, TimecardLimits.MaxNameLength, "a department"));
        if (job.HireDate is { } hire && !TimecardLimits.InRange(hire))
        {
            problems.Add(at + ".hiredate", TimecardLimits.Instant(hire));
        }

        return problems.Count > before;
    }

    /// <summary>Adds the punch's values that are out of bounds to the problems; true when there was one.</summary>
    private static bool CheckPunch(WirePunch wire, string at, Problems problems)
    {
        var before = problems.Count;
        foreach (var (field, value) in new[] { ("in_datetime", (DateTimeOffset?)wire.InDateTime), ("out_datetime", wire.OutDateTime), ("in_rounded", wire.InRounded), ("out_rounded", wire.OutRounded), ("updatedOn", wire.UpdatedOn) })
        {
            if (value is { } instant && !TimecardLimits.InRange(instant))
            {
                problems.Add($"{at}.{field}", TimecardLimits.Instant(instant));
            }
        }

        if (problems.Count > before)
        {
            return true;
        }

        if (wire.OutDateTime - wire.InDateTime > TimecardLimits.MaxPunchLength)
        {
            problems.Add(at + ".out_datetime", "Expected an out-punch at most 7 days after the in-punch.");
        }

        if ((wire.InRounded - wire.InDateTime)?.Duration() > TimecardLimits.MaxRounding || (wire.OutRounded - wire.OutDateTime)?.Duration() > TimecardLimits.MaxRounding
            || (wire.OutRounded is not null && wire.OutDateTime is null))
        {
            problems.Add(at + ".in_rounded", "Expected rounded times within a day of the times they round (and no rounded out-time without an out-time).");
        }

        problems.AddIf(at + ".id", TimecardLimits.Text(wire.Id, TimecardLimits.MaxIdLength, "a punch id"));
        problems.AddIf(at + ".endreason", TimecardLimits.Text(wire.EndReason, TimecardLimits.MaxIdLength, "an end reason"));
        if (!string.IsNullOrWhiteSpace(wire.TimeZone) && (wire.TimeZone.Length > TimecardLimits.MaxZoneLength || !CleaningRules.IsKnownZone(wire.TimeZone)))
        {
            problems.Add(at + ".timezone", $"Expected an IANA time zone such as America/New_York; found '{BackupScanner.Clip(wire.TimeZone)}'.");
        }

        return problems.Count > before;
    }

    private static void AddPeriod(PlannedJob job, TimecardPeriod? period, string at, Problems problems, (CleaningRules Rules, string UserId, string FallbackZone) context)
    {
        if (period is null)
        {
            problems.Add(at, "An empty entry (null) instead of a pay period.");
            return;
        }

        foreach (var (field, value) in new[] { ("periodStart", period.PeriodStart), ("periodEnd", period.PeriodEnd) })
        {
            if (value is { } date && !TimecardLimits.InRange(date))
            {
                problems.Add($"{at}.{field}", string.Create(CultureInfo.InvariantCulture, $"Expected a date between 1970 and 2100; found {date:yyyy-MM-dd}."));
                return;
            }
        }

        Cover(job, period.PeriodStart);
        Cover(job, period.PeriodEnd);
        for (var d = 0; d < (period.Days?.Count ?? 0); d++)
        {
            var day = period.Days![d];
            if (day is null)
            {
                problems.Add(Path(at + ".days", d), "An empty entry (null) instead of a day.");
                continue;
            }

            if (day.Day is { } dayAt && !TimecardLimits.InRange(dayAt))
            {
                problems.Add(Path(at + ".days", d) + ".day", TimecardLimits.Instant(dayAt));
                continue;
            }

            DateOnly? wireDay = day.Day is { } dayValue ? DateOnly.FromDateTime(dayValue.DateTime) : null;
            Cover(job, wireDay);
            for (var i = 0; i < (day.Punches?.Count ?? 0); i++)
            {
                var wire = day.Punches![i];
                if (wire is null || string.IsNullOrWhiteSpace(wire.EndReason))
                {
                    var punchAt = string.Create(CultureInfo.InvariantCulture, $"{at}.days[{d}].punches[{i}]");
                    problems.Add(wire is null ? punchAt : punchAt + ".endreason", wire is null ? "An empty entry (null) instead of a punch." : "Required, but missing or empty.");
                    continue;
                }

                if (CheckPunch(wire, string.Create(CultureInfo.InvariantCulture, $"{at}.days[{d}].punches[{i}]"), problems))
                {
                    continue;
                }

                Add(job, Normalize(wire, wireDay, context));
            }
        }
    }

    private static void Add(PlannedJob job, (RawPunch Punch, Shift Shift) planned)
    {
        Cover(job, planned.Shift.LocalDate);
        if (job.Index.TryGetValue(planned.Punch.PunchKey, out var seen))
        {
            if (!IsOlder(planned.Punch, job.Punches[seen].Punch))
            {
                job.Punches[seen] = planned;
            }
        }
        else
        {
            job.Index[planned.Punch.PunchKey] = job.Punches.Count;
            job.Punches.Add(planned);
        }
    }

    /// <summary>The punch as it will be stored (instants in UTC, empty texts as none) and what it means on its own.</summary>
    private static (RawPunch, Shift) Normalize(WirePunch wire, DateOnly? wireDay, (CleaningRules Rules, string UserId, string FallbackZone) context)
    {
        var inAt = wire.InDateTime.ToUniversalTime();
        var punch = new RawPunch
        {
            UserId = context.UserId,
            PunchKey = KeyOf(wire.Id, inAt),
            SiteId = string.IsNullOrWhiteSpace(wire.Id) ? null : wire.Id,
            InAt = inAt,
            OutAt = wire.OutDateTime?.ToUniversalTime(),
            EndReason = wire.EndReason,
            InRounded = wire.InRounded?.ToUniversalTime(),
            OutRounded = wire.OutRounded?.ToUniversalTime(),
            TimeZone = string.IsNullOrWhiteSpace(wire.TimeZone) ? null : wire.TimeZone,
            Edited = wire.Edited,
            UpdatedOn = wire.UpdatedOn?.ToUniversalTime(),
            WireDay = wireDay,
        };
        return (punch, context.Rules.FromPunch(punch, context.FallbackZone));
    }

    private static bool IsOlder(RawPunch candidate, RawPunch kept) =>
        (candidate.UpdatedOn, kept.UpdatedOn) switch
        {
            (null, not null) => true,
            ({ } c, { } k) => c < k,
            _ => false,
        };

    private static void Cover(PlannedJob job, DateOnly? date)
    {
        if (date is not { } d)
        {
            return;
        }

        job.FromDate = job.FromDate is { } from && from <= d ? from : d;
        job.ToDate = job.ToDate is { } to && to >= d ? to : d;
    }

    private static string Path(string parent, int index) => string.Create(CultureInfo.InvariantCulture, $"{parent}[{index}]");

    private sealed class Problems
    {
        public List<IngestProblemInfo> List { get; } = [];

        public int Count => List.Count;

        public void AddIf(string location, string? message)
        {
            if (message is not null)
            {
                Add(location, message);
            }
        }

        public void Add(string location, string message)
        {
            if (List.Count < MaxProblems)
            {
                List.Add(new IngestProblemInfo(location, message));
            }
        }
    }
}
