using System.Globalization;
using Microsoft.Extensions.Options;

namespace PayTrack.KronosSimulator.Data;

/// <summary>A shift as the site recorded it, before asking what is visible at a given instant.</summary>
internal sealed record SimShift(
    string Id,
    DateOnly Day,
    DateTimeOffset InRaw,
    DateTimeOffset OutRaw,
    DateTimeOffset InRounded,
    DateTimeOffset OutRounded,
    DateTimeOffset ScheduledOut,
    bool MissedOut,
    DateTimeOffset FixedAt);

/// <summary>A punch as the site shows it at one instant: a missed out-punch changes once the supervisor's fix is in.</summary>
internal sealed record SimPunch(
    SimShift Shift,
    DateTimeOffset? Out,
    DateTimeOffset? OutRounded,
    string EndReason,
    bool Edited,
    DateTimeOffset UpdatedOn);

internal sealed record SimDay(DateOnly Day, IReadOnlyList<SimPunch> Punches)
{
    /// <summary>The site's own total of paid (rounded) hours; unknown while a punch has no out-time.</summary>
    public decimal? TotalHours => Punches.Any(p => p.OutRounded is null)
        ? null
        : Math.Round((decimal)Punches.Sum(p => (p.OutRounded!.Value - p.Shift.InRounded).TotalHours), 2);
}

internal sealed record SimPeriod(DateOnly Start, DateOnly End, IReadOnlyList<SimDay> Days);

/// <summary>
/// Computes an account's punches from (seed, account, job, week): nothing is stored, any account and any range
/// can be asked for, and the same inputs give the same punches on every machine.
/// </summary>
internal sealed class PunchGenerator(IOptions<SimulatorOptions> options)
{
    /// <summary>Pay periods are two weeks long, Sunday to Saturday, counted from this Sunday (the contract's example).</summary>
    public static readonly DateOnly PeriodAnchor = new(2023, 9, 3);

    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);

    public static DateOnly PeriodStartOf(DateOnly day)
    {
        var offset = day.DayNumber - PeriodAnchor.DayNumber;
        var periods = offset >= 0 ? offset / 14 : ((offset + 1) / 14) - 1;
        return PeriodAnchor.AddDays(periods * 14);
    }

    /// <summary>The timecard of one job for the inclusive day range, as visible at <paramref name="now"/>.</summary>
    public IReadOnlyList<SimPeriod> Timecard(SimAccount account, SimJob job, DateOnly start, DateOnly end, DateTimeOffset now)
    {
        var days = new SortedDictionary<DateOnly, List<SimPunch>>();
        for (var week = AcademicCalendar.SundayOnOrBefore(start); week <= end; week = week.AddDays(7))
        {
            foreach (var shift in ShiftsOfWeek(account, job, week))
            {
                if (shift.Day < start || shift.Day > end || shift.OutRaw > now)
                {
                    continue;
                }

                if (!days.TryGetValue(shift.Day, out var list))
                {
                    list = [];
                    days.Add(shift.Day, list);
                }

                list.Add(View(shift, now));
            }
        }

        var periods = new List<SimPeriod>();
        for (var periodStart = PeriodStartOf(start); periodStart <= end; periodStart = periodStart.AddDays(14))
        {
            var periodEnd = periodStart.AddDays(13);
            var periodDays = days
                .Where(d => d.Key >= periodStart && d.Key <= periodEnd)
                .Select(d => new SimDay(d.Key, [.. d.Value.OrderBy(p => p.Shift.InRaw)]))
                .ToList();
            periods.Add(new SimPeriod(periodStart, periodEnd, periodDays));
        }

        return periods;
    }

    private static SimPunch View(SimShift shift, DateTimeOffset now)
    {
        if (!shift.MissedOut)
        {
            return new SimPunch(shift, shift.OutRaw, shift.OutRounded, "normal", Edited: false, UpdatedOn: shift.OutRaw.AddSeconds(5));
        }

        if (now < shift.FixedAt)
        {
            return new SimPunch(shift, Out: null, OutRounded: null, "missedOut", Edited: false, UpdatedOn: shift.InRaw.AddSeconds(3));
        }

        // The supervisor enters the scheduled end; the punch keeps its id.
        return new SimPunch(shift, shift.ScheduledOut, shift.ScheduledOut, "normal", Edited: true, UpdatedOn: shift.FixedAt);
    }

    private List<SimShift> ShiftsOfWeek(SimAccount account, SimJob job, DateOnly weekStart)
    {
        var rng = new StableRandom(StableRandom.Mix(account.Key, (ulong)job.Index, (ulong)weekStart.DayNumber));
        var planned = job.Timetable is { } timetable ? FromTimetable(job, timetable, weekStart, account.Pattern, rng) : RandomWeek(job, weekStart, account.Pattern, rng);
        if (job.DaylightSavingNights && IsDaylightSavingNight(account.Zone, weekStart))
        {
            // 00:30 to 03:30 on the clock: two hours of real time in spring, four in the fall.
            planned.Add(new Planned(weekStart, new TimeOnly(0, 30), TimeSpan.Zero, new TimeOnly(3, 30), ForceMissed: false, Skip: false, Slot: 99));
        }

        var shifts = new List<SimShift>(planned.Count);
        foreach (var plan in planned)
        {
            // Every draw happens whether or not the shift is kept, so a day's punches never depend on filters.
            var inJitter = TimeSpan.FromMinutes(rng.Between(-7, 3));
            var outJitter = TimeSpan.FromMinutes(rng.Between(-3, 7));
            var missed = plan.ForceMissed || rng.Chance(account.Pattern.MissedOutShare);
            var fixMinutes = rng.Next(6 * 60);
            if (plan.Skip || plan.Day < job.HireDate || !(account.WorksBreaks || AcademicCalendar.InTerm(plan.Day) || plan.Slot == 99))
            {
                continue;
            }

            var scheduledIn = ToUtc(plan.Day, plan.Start, account.Zone);
            var scheduledOut = plan.WallClockEnd is { } end
                ? ToUtc(end <= plan.Start ? plan.Day.AddDays(1) : plan.Day, end, account.Zone)
                : scheduledIn + plan.Length;
            var inRaw = scheduledIn + inJitter;
            var outRaw = scheduledOut + outJitter;
            var fixedAt = ToUtc(plan.Day.AddDays(options.Value.FixDelayDays), new TimeOnly(10, 0), account.Zone).AddMinutes(fixMinutes);
            var id = "p-" + Base36(StableRandom.Mix(account.Key, (ulong)job.Index, (ulong)plan.Day.DayNumber, (ulong)plan.Slot));
            shifts.Add(new SimShift(id, plan.Day, inRaw, outRaw, RoundToQuarter(inRaw), RoundToQuarter(outRaw), RoundToQuarter(scheduledOut), missed, fixedAt));
        }

        return shifts;
    }

    private static List<Planned> FromTimetable(SimJob job, IReadOnlyList<WeeklyShift> timetable, DateOnly weekStart, SchedulePattern pattern, StableRandom rng)
    {
        var forcedMissedWeek = (weekStart.DayNumber / 7) % 5 == 0;
        var planned = new List<Planned>(timetable.Count + 1);
        for (var slot = 0; slot < timetable.Count; slot++)
        {
            var shift = timetable[slot];
            var skip = rng.Chance(pattern.SkipShare);
            var forceMissed = forcedMissedWeek && job.MissedOutDay == shift.Day;
            planned.Add(new Planned(weekStart.AddDays((int)shift.Day), shift.Start, shift.Length, WallClockEnd: null, forceMissed, skip && !forceMissed, slot));
        }

        return planned;
    }

    private static List<Planned> RandomWeek(SimJob job, DateOnly weekStart, SchedulePattern pattern, StableRandom rng)
    {
        var days = job.Days.ToArray();
        for (var i = days.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (days[i], days[j]) = (days[j], days[i]);
        }

        var count = Math.Min(days.Length, rng.Between(1, 3));
        var planned = new List<Planned>(count + 1);
        for (var slot = 0; slot < count; slot++)
        {
            var day = weekStart.AddDays((int)days[slot]);
            if (rng.Chance(pattern.DoubleShiftShare))
            {
                planned.Add(new Planned(day, new TimeOnly(7, 0).AddMinutes(15 * rng.Between(0, 8)), TimeSpan.FromMinutes(120 + (15 * rng.Between(0, 4))), null, false, false, (slot * 2) + 10));
                planned.Add(new Planned(day, new TimeOnly(17, 0).AddMinutes(15 * rng.Between(0, 6)), TimeSpan.FromMinutes(120 + (15 * rng.Between(0, 4))), null, false, false, (slot * 2) + 11));
            }
            else if (rng.Chance(pattern.EveningShare))
            {
                // Evening shifts start 20:00 to 22:30 and often end after midnight.
                planned.Add(new Planned(day, new TimeOnly(20, 0).AddMinutes(15 * rng.Between(0, 10)), TimeSpan.FromMinutes(180 + (15 * rng.Between(0, 8))), null, false, false, slot));
            }
            else
            {
                planned.Add(new Planned(day, new TimeOnly(7, 0).AddMinutes(15 * rng.Between(0, 36)), TimeSpan.FromMinutes(120 + (15 * rng.Between(0, 16))), null, false, false, slot));
            }
        }

        return planned;
    }

    /// <summary>Whether the Sunday <paramref name="sunday"/> is a night on which clocks change (they do at 02:00 in the US).</summary>
    internal static bool IsDaylightSavingNight(TimeZoneInfo zone, DateOnly sunday) =>
        zone.IsInvalidTime(sunday.ToDateTime(new TimeOnly(2, 30))) || zone.IsAmbiguousTime(sunday.ToDateTime(new TimeOnly(1, 30)));

    internal static DateTimeOffset ToUtc(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        // An ambiguous wall-clock time (the repeated hour in the fall) is its first occurrence, still on summer time.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    private static DateTimeOffset RoundToQuarter(DateTimeOffset instant)
    {
        var ticks = (instant.UtcTicks + (Quarter.Ticks / 2)) / Quarter.Ticks * Quarter.Ticks;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private static string Base36(ulong value)
    {
        Span<char> buffer = stackalloc char[16];
        var i = buffer.Length;
        do
        {
            var digit = (int)(value % 36);
            buffer[--i] = (char)(digit < 10 ? '0' + digit : 'a' + digit - 10);
            value /= 36;
        }
        while (value != 0);

        return new string(buffer[i..]);
    }

    private sealed record Planned(DateOnly Day, TimeOnly Start, TimeSpan Length, TimeOnly? WallClockEnd, bool ForceMissed, bool Skip, int Slot);

    internal static string FormatInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
