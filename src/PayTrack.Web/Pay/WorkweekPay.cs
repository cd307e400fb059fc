using System.Globalization;
using PayTrack.Web.Data;

namespace PayTrack.Web.Pay;

/// <summary>
/// One shift's share of its workweek's pay, unrounded. <see cref="OvertimeMinutes"/> are the shift's minutes paid
/// at 1.5x (federal: past the workweek's 40th hour) and <see cref="DoubleTimeMinutes"/> those paid at 2x (California
/// only); <see cref="OvertimePremium"/> is the premium on both (half, or all, of the regular rate on top).
/// </summary>
public sealed record ShiftPay(WorkedShift Shift, decimal? HourlyRate, int Minutes, int OvertimeMinutes, decimal StraightTimePay, decimal OvertimePremium)
{
    public int DoubleTimeMinutes { get; init; }

    public int RegularMinutes => Minutes - OvertimeMinutes - DoubleTimeMinutes;

    public DateOnly Date => Shift.LocalDate;

    public string JobKey => Shift.JobKey;

    public decimal GrossPay => StraightTimePay + OvertimePremium;
}

/// <summary>A workweek's pay, unrounded, with each shift's share of it.</summary>
public sealed record WorkweekPay(DateRange Workweek, IReadOnlyList<ShiftPay> Shifts)
{
    public int Minutes => Shifts.Sum(s => s.Minutes);

    public int OvertimeMinutes => Shifts.Sum(s => s.OvertimeMinutes);

    public int DoubleTimeMinutes => Shifts.Sum(s => s.DoubleTimeMinutes);

    public int RegularMinutes => Minutes - OvertimeMinutes - DoubleTimeMinutes;

    public decimal StraightTimePay => Shifts.Sum(s => s.StraightTimePay);

    public decimal OvertimePremium => Shifts.Sum(s => s.OvertimePremium);

    public decimal GrossPay => StraightTimePay + OvertimePremium;

    /// <summary>Straight-time pay per hour worked (29 CFR 778.115: the weighted average of the week's rates).</summary>
    public decimal RegularRate => Minutes == 0 ? 0m : StraightTimePay * 60m / Minutes;
}

/// <summary>
/// Overtime as the FLSA computes it (29 CFR 778.115): every hour of the workweek, across all of the user's jobs
/// (one employer), is paid at its own rate (straight time); the hours beyond 40 also earn a premium of half the
/// regular rate, where the regular rate is the week's straight-time pay divided by all of its hours. So
/// 30 h at $15 and 15 h at $20 pay $750 straight time, a regular rate of $16.67, a premium of 0.5 x 750/45 x 5 =
/// $41.67, gross $791.67. Each workweek stands alone: nothing carries over, whatever the pay period.
/// <para>
/// The premium is allocated to the hours that went past 40, in the order they were worked (by shift start): the
/// shift that crosses 40 hours carries the premium for its minutes beyond it, and every later shift of the week
/// carries it for all of its minutes. Under <see cref="OvertimeRule.California"/> the minutes at 1.5x and 2x come
/// from <see cref="CaliforniaOvertime"/> instead, on the same weighted regular rate. A shift's premium is therefore paid with the day (and pay period, and job)
/// on which the overtime was actually worked, which is when an employer that splits a workweek across two pay
/// periods pays it. The shares add up to the week's premium.
/// </para>
/// </summary>
public sealed class WorkweekPayCalculator
{
    private readonly PayOptions _options;
    private readonly PayRateTable _rates;

    public WorkweekPayCalculator(PayOptions options, PayRateTable rates)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rates);
        _options = options;
        _rates = rates;
    }

    /// <param name="workweek">The 7 local dates of the week (see <see cref="PayCalendar.WorkweekContaining"/>).</param>
    /// <param name="shifts">Every shift attributed to a day of the week, for all of the user's jobs.</param>
    public WorkweekPay Compute(DateRange workweek, IEnumerable<WorkedShift> shifts)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        // By start, then job; a week's shifts usually arrive in that order already, and are then not sorted again (the
        // overview pays every workweek of a year on each render).
        var ordered = shifts.ToList();
        if (ordered.Count == 0)
        {
            return new WorkweekPay(workweek, []);
        }

        if (!InWorkedOrder(ordered))
        {
            ordered = [.. ordered.OrderBy(s => s.StartUtc).ThenBy(s => s.JobKey, StringComparer.Ordinal)];
        }

        if (ordered.Find(s => !workweek.Contains(s.LocalDate)) is { } stray)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A shift of {stray.LocalDate:yyyy-MM-dd} is not in the workweek {workweek}."), nameof(shifts));
        }

        var minutes = ordered.ConvertAll(s => s.PaidMinutes(_options.UseRoundedTimes));
        var rates = ordered.ConvertAll(s => _rates.RateOn(s.JobKey, s.LocalDate));
        var straight = new decimal[ordered.Count];
        var totalMinutes = 0;
        var totalStraight = 0m;
        for (var i = 0; i < ordered.Count; i++)
        {
            straight[i] = (rates[i] ?? 0m) * minutes[i] / 60m;
            totalMinutes += minutes[i];
            totalStraight += straight[i];
        }

        var premiums = Premiums(workweek, ordered, minutes);
        var pays = new List<ShiftPay>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var (overtime, doubleTime) = premiums[i];
            // 0.5 x regular rate x overtime hours + 1 x regular rate x double-time hours, where the regular rate is
            // straight / (total / 60) and hours are minutes / 60: one division.
            var premium = overtime == 0 && doubleTime == 0 ? 0m : totalStraight * (overtime + (2 * doubleTime)) / (2m * totalMinutes);
            pays.Add(new ShiftPay(ordered[i], rates[i], minutes[i], overtime, straight[i], premium) { DoubleTimeMinutes = doubleTime });
        }

        return new WorkweekPay(workweek, pays);
    }

    private static bool InWorkedOrder(List<WorkedShift> shifts)
    {
        for (var i = 1; i < shifts.Count; i++)
        {
            var (before, after) = (shifts[i - 1], shifts[i]);
            var byStart = before.StartUtc.CompareTo(after.StartUtc);
            if (byStart > 0 || (byStart == 0 && string.CompareOrdinal(before.JobKey, after.JobKey) > 0))
            {
                return false;
            }
        }

        return true;
    }

    private PremiumMinutes[] Premiums(DateRange workweek, List<WorkedShift> ordered, List<int> minutes)
    {
        if (!_options.OvertimeEnabled)
        {
            return new PremiumMinutes[ordered.Count];
        }

        if (_options.OvertimeRule == OvertimeRule.California)
        {
            return CaliforniaOvertime.Allocate(workweek, ordered.ConvertAll(s => s.LocalDate), minutes);
        }

        var premiums = new PremiumMinutes[ordered.Count];
        var before = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            premiums[i] = new PremiumMinutes(Math.Clamp(before + minutes[i] - PayOptions.OvertimeThresholdMinutes, 0, minutes[i]), 0);
            before += minutes[i];
        }

        return premiums;
    }
}
