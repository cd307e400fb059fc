using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using PayTrack.Web.Data;

namespace PayTrack.Web.Pay;

/// <summary>The minutes of one shift paid at a premium: at 1.5x (<see cref="Overtime"/>) and at 2x (<see cref="DoubleTime"/>).</summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct PremiumMinutes(int Overtime, int DoubleTime);

/// <summary>Where each rule's overtime comes from, in words shown beside the figures it produces.</summary>
public static class OvertimeSources
{
    public const string Federal = "FLSA, 29 U.S.C. 207(a) and 29 CFR 778.115: hours past 40 in a workweek earn half the week's regular rate on top.";

    public const string California = "California Labor Code 510: past 8 h in a workday and 40 h in a workweek at 1.5x, past 12 h in a workday at 2x; " +
        "on the seventh consecutive day of a workweek the first 8 h at 1.5x and the rest at 2x. Regular rate as in 29 CFR 778.115.";

    public static string Of(OvertimeRule rule) => rule == OvertimeRule.California ? California : Federal;
}

/// <summary>
/// California Labor Code 510(a), for one workweek: every minute is regular, overtime (1.5x) or double time (2x),
/// never two premiums at once. A workday is the shift's attributed local date. In the order worked:
/// <list type="bullet">
/// <item>on the seventh consecutive day of the workweek (a day worked on each of its 7 days), the day's first 8 h
/// are overtime and the rest double time;</item>
/// <item>on any other day, the first 8 h are regular, 8 to 12 h overtime, past 12 h double time;</item>
/// <item>regular minutes past the week's 40th regular hour become overtime (the weekly rule). Hours already paid
/// a daily or seventh-day premium do not count towards the 40, so no hour is paid twice at a premium.</item>
/// </list>
/// Alternative workweek schedules (Labor Code 511) and the exemptions of the Wage Orders are not modelled.
/// </summary>
public static class CaliforniaOvertime
{
    public const int DailyRegularMinutes = 8 * 60;
    public const int DailyDoubleTimeAfterMinutes = 12 * 60;
    public const int WeeklyRegularMinutes = 40 * 60;

    /// <param name="workweek">The workweek's 7 local dates.</param>
    /// <param name="days">Each shift's attributed local date, in the order the shifts were worked.</param>
    /// <param name="minutes">Each shift's paid minutes, in the same order.</param>
    public static PremiumMinutes[] Allocate(DateRange workweek, IReadOnlyList<DateOnly> days, IReadOnlyList<int> minutes)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(minutes);
        var worked = new HashSet<DateOnly>();
        for (var i = 0; i < days.Count; i++)
        {
            if (minutes[i] > 0)
            {
                worked.Add(days[i]);
            }
        }

        DateOnly? seventhDay = workweek.Days().All(worked.Contains) ? workweek.End : null;
        var dayMinutes = new Dictionary<DateOnly, int>();
        var weekRegular = 0;
        var result = new PremiumMinutes[days.Count];
        for (var i = 0; i < days.Count; i++)
        {
            var m = minutes[i];
            var before = dayMinutes.GetValueOrDefault(days[i]);
            dayMinutes[days[i]] = before + m;
            if (days[i] == seventhDay)
            {
                var firstEight = Math.Clamp(DailyRegularMinutes - before, 0, m);
                result[i] = new PremiumMinutes(firstEight, m - firstEight);
                continue;
            }

            var regular = Math.Clamp(DailyRegularMinutes - before, 0, m);
            var doubleTime = Math.Clamp(before + m - DailyDoubleTimeAfterMinutes, 0, m);
            var pastForty = Math.Clamp(weekRegular + regular - WeeklyRegularMinutes, 0, regular);
            weekRegular += regular - pastForty;
            result[i] = new PremiumMinutes(m - regular - doubleTime + pastForty, doubleTime);
        }

        return result;
    }
}
