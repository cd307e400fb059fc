using System.Globalization;
using PayTrack.Web.Kronos;

namespace PayTrack.Web.Timecards.SeedData;

/// <summary>
/// The demo student's backup: Jordan, who works at the library and in campus dining, 2023-01-01 to 2024-12-31.
/// Deterministic (its own pseudo-random sequence, no clock), so <c>dotnet PayTrack.Web.dll seed-data</c> writes the
/// same bytes as seed-data/demo-backup.json, which a test checks. It holds every case of the contract's section 4:
/// a missed out-punch fixed days later and one never fixed, shifts across midnight, the four daylight-saving nights,
/// two shifts on one day, two jobs on one day, the same pay period returned twice by overlapping ranges, raw times a
/// few minutes off the rounded ones, and weeks without punches (term breaks); plus punches without an id or a zone
/// and one unknown end reason.
/// </summary>
public static class DemoBackup
{
    public const string Zone = "America/New_York";

    private const long Library = 10234;
    private const long Dining = 20417;

    private static readonly TimeZoneInfo NewYork = CleaningRules.FindZone(Zone)!;

    private static readonly (DateOnly From, DateOnly To, bool Summer)[] Terms =
    [
        (new(2023, 1, 17), new(2023, 5, 5), false),
        (new(2023, 6, 5), new(2023, 7, 28), true),
        (new(2023, 8, 28), new(2023, 12, 13), false),
        (new(2024, 1, 16), new(2024, 5, 3), false),
        (new(2024, 6, 3), new(2024, 7, 26), true),
        (new(2024, 8, 26), new(2024, 12, 11), false),
    ];

    private static readonly (DateOnly From, DateOnly To)[] Breaks =
    [
        (new(2023, 3, 13), new(2023, 3, 17)),
        (new(2023, 11, 20), new(2023, 11, 24)),
        (new(2024, 3, 11), new(2024, 3, 15)),
        (new(2024, 11, 25), new(2024, 11, 29)),
    ];

    /// <summary>Sundays whose 00:30-03:30 overnight shift spans a daylight-saving change.</summary>
    private static readonly DateOnly[] DaylightSavingNights = [new(2023, 3, 12), new(2023, 11, 5), new(2024, 3, 10), new(2024, 11, 3)];

    /// <summary>Pay periods a client fetching in two overlapping ranges receives twice.</summary>
    private static readonly DateOnly[] RefetchedPeriods = [new(2023, 6, 25), new(2024, 2, 25)];

    public static async Task WriteAsync(Stream output, CancellationToken cancellationToken) =>
        await BackupWriter.WriteAsync(output, Build(), cancellationToken);

    public static BackupDocument Build()
    {
        var random = new SplitMix64(20230101);
        var punches = new Dictionary<long, List<(DateOnly Day, WirePunch Punch)>> { [Library] = [], [Dining] = [] };
        var ids = new Dictionary<long, int> { [Library] = 0, [Dining] = 0 };
        for (var day = new DateOnly(2023, 1, 1); day <= new DateOnly(2024, 12, 31); day = day.AddDays(1))
        {
            foreach (var (job, start, end) in Schedule(day))
            {
                if (random.Next(100) < 4 && !IsSpecial(day))
                {
                    continue;
                }

                ids[job]++;
                var id = string.Create(CultureInfo.InvariantCulture, $"{(job == Library ? "L" : "D")}-{ids[job]:000000}");
                punches[job].Add((day, MakePunch(id, day, start, end, random)));
            }
        }

        var employee = new EmployeeList
        {
            List =
            [
                new EmployeeJob
                {
                    FirstName = "Jordan", EmployeeId = Library, BadgeNum = 40123, DepartmentDesc = "Library Circulation", PayRuleId = 7,
                    BaseWageRate = 14.20m, HireDate = new DateTimeOffset(2022, 8, 29, 0, 0, 0, TimeSpan.Zero),
                },
                new EmployeeJob
                {
                    FirstName = "Jordan", EmployeeId = Dining, BadgeNum = 40588, DepartmentDesc = "Campus Dining, Commons Café", PayRuleId = 3,
                    BaseWageRate = 15.00m, HireDate = new DateTimeOffset(2023, 1, 17, 0, 0, 0, TimeSpan.Zero),
                },
            ],
        };
        return new BackupDocument(
            employee,
            [
                new JobTimecard { EmployeeId = Library, PayRuleId = 7, Periods = Periods(punches[Library]) },
                new JobTimecard { EmployeeId = Dining, PayRuleId = 3, Periods = Periods(punches[Dining]) },
            ],
            Zone,
            []);
    }

    /// <summary>The shifts planned for a day, as (job, local start, local end); an end before the start is the next morning.</summary>
    private static IEnumerable<(long Job, TimeOnly Start, TimeOnly End)> Schedule(DateOnly day)
    {
        if (DaylightSavingNights.Contains(day))
        {
            yield return (Library, new(0, 30), new(3, 30));
            yield break;
        }

        var term = Terms.FirstOrDefault(t => t.From <= day && day <= t.To);
        if (term == default || Breaks.Any(b => b.From <= day && day <= b.To))
        {
            yield break;
        }

        if (term.Summer)
        {
            if (day.DayOfWeek is DayOfWeek.Tuesday or DayOfWeek.Thursday)
            {
                yield return (Library, new(10, 0), new(14, 0));
            }

            yield break;
        }

        switch (day.DayOfWeek)
        {
            case DayOfWeek.Monday:
                yield return (Library, new(9, 0), new(13, 0));
                yield return (Dining, new(17, 30), new(20, 30));
                break;
            case DayOfWeek.Tuesday or DayOfWeek.Thursday:
                yield return (Dining, new(11, 0), new(14, 0));
                break;
            case DayOfWeek.Wednesday:
                yield return (Library, new(9, 0), new(12, 0));
                yield return (Library, new(15, 0), new(17, 30));
                break;
            case DayOfWeek.Friday:
                yield return (Library, new(14, 0), new(18, 0));
                break;
            case DayOfWeek.Saturday when day.DayNumber / 7 % 2 == 0 && !DaylightSavingNights.Contains(day.AddDays(1)):
                yield return (Library, new(22, 0), new(2, 0));
                break;
        }
    }

    private static bool IsSpecial(DateOnly day) =>
        DaylightSavingNights.Contains(day) || day == new DateOnly(2023, 10, 16) || day == new DateOnly(2024, 2, 21)
        || day == new DateOnly(2024, 4, 19) || day == new DateOnly(2024, 12, 9);

    private static WirePunch MakePunch(string id, DateOnly day, TimeOnly start, TimeOnly end, SplitMix64 random)
    {
        var (plannedIn, plannedOut) = LocalTimes.ShiftInstants(day, start, end, NewYork);
        var exact = DaylightSavingNights.Contains(day);
        var inAt = exact ? plannedIn : plannedIn.AddMinutes(random.Next(14) - 7);
        var outAt = exact ? plannedOut : plannedOut.AddMinutes(random.Next(14) - 5);
        var punch = new WirePunch
        {
            Id = id,
            InDateTime = inAt,
            OutDateTime = outAt,
            EndReason = CleaningRules.NormalEnd,
            InRounded = Round(inAt),
            OutRounded = Round(outAt),
            TimeZone = Zone,
            Edited = false,
            UpdatedOn = outAt.AddSeconds(4 + random.Next(20)),
        };

        // A missed out-punch that a supervisor fixed days later: same id, edited, a later updatedOn.
        if (day == new DateOnly(2023, 10, 16) && start == new TimeOnly(9, 0) || day == new DateOnly(2024, 2, 21) && start == new TimeOnly(9, 0))
        {
            return punch with { Edited = true, UpdatedOn = new DateTimeOffset(day.AddDays(3).ToDateTime(new TimeOnly(14, 12)), TimeSpan.Zero) };
        }

        // A missed out-punch nobody has fixed yet.
        if (day == new DateOnly(2024, 12, 9) && start == new TimeOnly(17, 30))
        {
            return punch with { OutDateTime = null, OutRounded = null, EndReason = CleaningRules.MissedOutEnd, UpdatedOn = inAt.AddSeconds(5) };
        }

        // The site closed this one itself, with a reason the contract does not list.
        if (day == new DateOnly(2024, 4, 19))
        {
            return punch with { EndReason = "autoClockOut", OutDateTime = plannedOut, OutRounded = plannedOut };
        }

        // Early summer 2023: a clock that sends no ids; summer 2024: one that sends no zone.
        if (day >= new DateOnly(2023, 6, 5) && day <= new DateOnly(2023, 6, 9))
        {
            return punch with { Id = null };
        }

        return day >= new DateOnly(2024, 6, 3) && day <= new DateOnly(2024, 7, 26) ? punch with { TimeZone = null } : punch;
    }

    /// <summary>Biweekly pay periods from Sunday 2023-01-01; empty periods are kept (term breaks).</summary>
    private static List<TimecardPeriod> Periods(List<(DateOnly Day, WirePunch Punch)> punches)
    {
        var periods = new List<TimecardPeriod>();
        for (var start = new DateOnly(2023, 1, 1); start <= new DateOnly(2024, 12, 31); start = start.AddDays(14))
        {
            var end = start.AddDays(13);
            var days = punches
                .Where(p => p.Day >= start && p.Day <= end)
                .GroupBy(p => p.Day)
                .Select(g => new TimecardDay
                {
                    Day = new DateTimeOffset(g.Key.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                    TotalHours = decimal.Round(g.Sum(p => PaidHours(p.Punch)), 2, MidpointRounding.AwayFromZero),
                    Punches = g.Select(p => p.Punch).ToList(),
                })
                .ToList();
            var period = new TimecardPeriod { PeriodStart = start, PeriodEnd = end, Days = days };
            periods.Add(period);
            if (RefetchedPeriods.Contains(start))
            {
                periods.Add(period);
            }
        }

        return periods;
    }

    /// <summary>The site's own total for a punch: rounded hours, nothing while the out-punch is missing.</summary>
    private static decimal PaidHours(WirePunch punch) =>
        punch.OutRounded is { } outRounded ? (decimal)(outRounded - punch.InRounded!.Value).TotalMinutes / 60m : 0m;

    /// <summary>The employer's rule: to the nearest quarter hour.</summary>
    private static DateTimeOffset Round(DateTimeOffset instant)
    {
        var quarter = TimeSpan.FromMinutes(15).Ticks;
        var ticks = (instant.UtcTicks + (quarter / 2)) / quarter * quarter;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>A tiny fixed pseudo-random sequence: the same numbers on every machine and every .NET version.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public int Next(int below)
        {
            _state += 0x9E3779B97F4A7C15;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            z ^= z >> 31;
            return (int)(z % (ulong)below);
        }
    }
}
