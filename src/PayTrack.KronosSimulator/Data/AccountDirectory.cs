using System.Globalization;
using Microsoft.Extensions.Options;

namespace PayTrack.KronosSimulator.Data;

/// <summary>
/// The site's accounts: a few named demo accounts (documented in README.md) and numbered load accounts
/// user00000.. computed from the seed when asked for, so any number of them costs no memory.
/// </summary>
internal sealed class AccountDirectory(IOptions<SimulatorOptions> options, TimeProvider time)
{
    public const string DemoPassword = "demo";

    private static readonly string[] LoadZones = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Phoenix"];
    private static readonly string[] FirstNames = ["Alex", "Bea", "Chris", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena", "Mo", "Nia", "Omar", "Priya"];
    private static readonly string[] Departments = ["Library Circulation", "Dining Services", "Rec Center", "IT Help Desk", "Mail Room", "Admissions Tours", "Campus Security", "Bookstore", "Tutoring Center", "Lab Assistant"];
    private static readonly long[] PayRules = [3, 7, 12, 21, 30];

    private readonly ulong _seedKey = StableRandom.Mix((ulong)options.Value.Seed, 0x4B524F4E4F53UL);

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public static IReadOnlyList<string> DemoUsernames { get; } = ["ana.student", "ben.nightowl", "cara.newhire", "dan.nojob", "eve.sso", "finn.locked"];

    public SimAccount? Find(string username)
    {
        var name = username.Trim().ToLowerInvariant();
        return Demo(name) ?? Numbered(name);
    }

    private SimAccount? Numbered(string name)
    {
        if (!name.StartsWith("user", StringComparison.Ordinal) ||
            !int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ||
            index >= options.Value.AccountCount ||
            !string.Equals(name, NumberedName(index), StringComparison.Ordinal))
        {
            return null;
        }

        var key = StableRandom.Mix(_seedKey, StableRandom.Hash(name));
        var rng = new StableRandom(StableRandom.Mix(key, 1));
        var zone = Zone(LoadZones[rng.Next(LoadZones.Length)]);
        var firstName = FirstNames[rng.Next(FirstNames.Length)];
        var academicYear = AcademicCalendar.AcademicYear(Today);
        var yearsBack = rng.Between(1, 5);
        var firstHire = rng.Chance(0.2) ? AcademicCalendar.SpringStart(academicYear - yearsBack + 1) : AcademicCalendar.FallStart(academicYear - yearsBack);
        var jobCount = rng.Chance(0.3) ? 2 : 1;
        var firstRule = rng.Next(PayRules.Length);
        var firstDepartment = rng.Next(Departments.Length);
        var jobs = new List<SimJob>(jobCount);
        for (var i = 0; i < jobCount; i++)
        {
            jobs.Add(new SimJob
            {
                Index = i,
                EmployeeId = 200_000 + index,
                BadgeNum = 500_000 + index,
                // Two jobs of one employee have different pay rules, departments and wages.
                PayRuleId = PayRules[(firstRule + i) % PayRules.Length],
                Department = Departments[(firstDepartment + (3 * i)) % Departments.Length],
                Wage = 12.00m + (0.25m * rng.Between(0, 26)),
                HireDate = i == 0 ? firstHire : AcademicCalendar.FallStart(academicYear - rng.Between(0, yearsBack - 1)),
                // A second job is worked on other days, so a student is never at two jobs at once.
                Days = i == 0
                    ? [DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday, DayOfWeek.Saturday]
                    : [DayOfWeek.Tuesday, DayOfWeek.Thursday, DayOfWeek.Sunday],
            });
        }

        return new SimAccount
        {
            Username = name,
            Password = name,
            FirstName = firstName,
            Zone = zone,
            Key = key,
            Jobs = jobs,
            Pattern = new SchedulePattern(EveningShare: 0.1 + (rng.Next(20) / 100.0), DoubleShiftShare: 0.05, MissedOutShare: 0.03, SkipShare: 0),
            WorksBreaks = rng.Chance(0.25),
        };
    }

    public static string NumberedName(int index) => "user" + index.ToString("D5", CultureInfo.InvariantCulture);

    private SimAccount? Demo(string name)
    {
        var today = Today;
        var academicYear = AcademicCalendar.AcademicYear(today);
        var key = StableRandom.Mix(_seedKey, StableRandom.Hash(name));
        return name switch
        {
            "ana.student" => Ana(name, key, academicYear, today),
            "ben.nightowl" => Ben(name, key, academicYear, today),
            "cara.newhire" => Cara(name, key, academicYear, today),
            "dan.nojob" => Dan(name, key, academicYear, today),
            "eve.sso" => Eve(name, key, academicYear, today),
            "finn.locked" => Finn(name, key, academicYear, today),
            _ => null,
        };
    }

    private static SimAccount Ana(string name, ulong key, int academicYear, DateOnly today) => new SimAccount
    {
        Username = name,
        Password = DemoPassword,
        FirstName = "Ana",
        Zone = Zone("America/New_York"),
        Key = key,
        Pattern = new SchedulePattern(EveningShare: 0, DoubleShiftShare: 0, MissedOutShare: 0.04, SkipShare: 0.08),
        Jobs =
        [
            new SimJob
            {
                Index = 0, EmployeeId = 10234, BadgeNum = 40123, PayRuleId = 7,
                Department = "Library Circulation", Wage = 14.20m,
                HireDate = AcademicCalendar.FallStart(academicYear - 4),
                Timetable =
                [
                    new(DayOfWeek.Monday, new TimeOnly(14, 0), TimeSpan.FromHours(3)),
                    new(DayOfWeek.Wednesday, new TimeOnly(14, 0), TimeSpan.FromHours(3)),
                    new(DayOfWeek.Thursday, new TimeOnly(9, 0), TimeSpan.FromHours(2)),
                    new(DayOfWeek.Thursday, new TimeOnly(15, 0), TimeSpan.FromHours(3)),
                ],
                MissedOutDay = DayOfWeek.Wednesday,
            },
            new SimJob
            {
                Index = 1, EmployeeId = 10234, BadgeNum = 40123, PayRuleId = 12,
                Department = "Dining Services", Wage = 15.50m,
                HireDate = AcademicCalendar.SpringStart(academicYear - 3),
                Timetable =
                [
                    new(DayOfWeek.Thursday, new TimeOnly(11, 30), TimeSpan.FromHours(2.5)),
                    new(DayOfWeek.Friday, new TimeOnly(21, 0), TimeSpan.FromHours(4)),
                ],
                DaylightSavingNights = true,
            },
        ],
    };

    private static SimAccount Ben(string name, ulong key, int academicYear, DateOnly today) => new SimAccount
    {
        Username = name,
        Password = DemoPassword,
        FirstName = "Ben",
        Zone = Zone("America/Chicago"),
        Key = key,
        Pattern = new SchedulePattern(EveningShare: 0.9, DoubleShiftShare: 0, MissedOutShare: 0, SkipShare: 0),
        WorksBreaks = true,
        SparsePunches = true,
        Jobs =
        [
            new SimJob
            {
                Index = 0, EmployeeId = 10311, BadgeNum = 40311, PayRuleId = 21,
                Department = "Campus Security", Wage = 16.75m,
                HireDate = AcademicCalendar.FallStart(academicYear - 2),
            },
        ],
    };

    private static SimAccount Cara(string name, ulong key, int academicYear, DateOnly today) => new SimAccount
    {
        Username = name,
        Password = DemoPassword,
        FirstName = "Cara",
        Zone = Zone("America/Los_Angeles"),
        Key = key,
        Pattern = new SchedulePattern(EveningShare: 0.2, DoubleShiftShare: 0.1, MissedOutShare: 0.05, SkipShare: 0),
        WorksBreaks = true,
        Jobs =
        [
            new SimJob
            {
                Index = 0, EmployeeId = 10422, BadgeNum = 40422, PayRuleId = 3,
                Department = "Rec Center Front Desk", Wage = 15.00m,
                // Always three weeks into the job: the first-sync demo.
                HireDate = AcademicCalendar.SundayOnOrBefore(today.AddDays(-21)).AddDays(1),
            },
        ],
    };

    private static SimAccount Dan(string name, ulong key, int academicYear, DateOnly today) => new SimAccount
    {
        Username = name,
        Password = DemoPassword,
        FirstName = "Dan",
        Zone = Zone("America/New_York"),
        Key = key,
        Pattern = new SchedulePattern(0, 0, 0, 0),
        Jobs = [],
    };

    private static SimAccount Eve(string name, ulong key, int academicYear, DateOnly today) => new SimAccount
    {
        Username = name,
        Password = DemoPassword,
        FirstName = "Eve",
        Zone = Zone("America/New_York"),
        Key = key,
        Pattern = new SchedulePattern(0.1, 0, 0.02, 0),
        BuiltInFaults = new FaultOptions { SingleSignOn = true },
        Jobs =
        [
            new SimJob
            {
                Index = 0, EmployeeId = 10610, BadgeNum = 40610, PayRuleId = 7,
                Department = "Bookstore", Wage = 14.00m,
                HireDate = AcademicCalendar.FallStart(academicYear - 1),
            },
        ],
    };

    private static SimAccount Finn(string name, ulong key, int academicYear, DateOnly today) => new SimAccount
    {
        Username = name,
        Password = DemoPassword,
        FirstName = "Finn",
        Zone = Zone("America/Denver"),
        Key = key,
        Pattern = new SchedulePattern(0.1, 0, 0.02, 0),
        BuiltInFaults = new FaultOptions { ErrorObjectShare = 1, MaxConsecutive = 0 },
        Jobs =
        [
            new SimJob
            {
                Index = 0, EmployeeId = 10777, BadgeNum = 40777, PayRuleId = 12,
                Department = "Athletics Equipment", Wage = 15.25m,
                HireDate = AcademicCalendar.FallStart(academicYear - 1),
            },
        ],
    };

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);
}
