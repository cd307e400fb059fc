using System.Globalization;
using System.Text.Json.Serialization;

namespace PayTrack.Web.Pay;

/// <summary>
/// Minutes the employer paid (its rounded punches) against minutes actually worked, and that difference in dollars
/// at the shift's own rate (straight time; the premium of an overtime week is left aside). Positive: rounding paid
/// more than worked.
/// </summary>
public sealed record RoundingFigures(
    [property: JsonPropertyName("worked_minutes")] int WorkedMinutes,
    [property: JsonPropertyName("paid_minutes")] int PaidMinutes,
    [property: JsonPropertyName("difference_minutes")] int DifferenceMinutes,
    [property: JsonPropertyName("difference_pay")] decimal DifferencePay);

/// <summary>One span of the audit (a shift's day, a workweek, a pay period, a year) and its figures.</summary>
public sealed record RoundingSpan(
    [property: JsonPropertyName("start")] DateOnly Start,
    [property: JsonPropertyName("end")] DateOnly End,
    [property: JsonPropertyName("job")] string? JobKey,
    [property: JsonPropertyName("rounding")] RoundingFigures Rounding);

[JsonConverter(typeof(JsonStringEnumConverter<RoundingLean>))]
public enum RoundingLean
{
    [JsonStringEnumMemberName("neutral")]
    Neutral,

    [JsonStringEnumMemberName("employer")]
    Employer,

    [JsonStringEnumMemberName("employee")]
    Employee,
}

public sealed record RoundingAuditResult(
    [property: JsonPropertyName("shifts")] IReadOnlyList<RoundingSpan> Shifts,
    [property: JsonPropertyName("workweeks")] IReadOnlyList<RoundingSpan> Workweeks,
    [property: JsonPropertyName("pay_periods")] IReadOnlyList<RoundingSpan> PayPeriods,
    [property: JsonPropertyName("years")] IReadOnlyList<RoundingSpan> Years,
    [property: JsonPropertyName("total")] RoundingFigures Total,
    [property: JsonPropertyName("lean")] RoundingLean Lean,
    [property: JsonPropertyName("statement")] string Statement,
    [property: JsonPropertyName("source")] string Source);

/// <summary>
/// The rounding audit: per shift, workweek, pay period and year, minutes paid minus minutes worked and what that
/// cost or gave. Shifts without the employer's rounded times count as paid as worked; open shifts count nothing.
/// </summary>
public static class RoundingAudit
{
    public const string Source = "29 CFR 785.48(b): rounding is allowed only if, over a period of time, it does not fail to pay employees for all the time they actually work.";

    /// <summary>One shift's figures (unrounded pay, for sums).</summary>
    public static (int Worked, int Paid, decimal Pay) Of(WorkedShift shift, decimal? hourlyRate)
    {
        ArgumentNullException.ThrowIfNull(shift);
        if (shift.IsOpen)
        {
            return (0, 0, 0m);
        }

        var paid = shift.RoundedMinutes ?? shift.ActualMinutes;
        return (shift.ActualMinutes, paid, (hourlyRate ?? 0m) * (paid - shift.ActualMinutes) / 60m);
    }

    public static RoundingFigures Sum(IEnumerable<(int Worked, int Paid, decimal Pay)> shifts)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        int worked = 0, paid = 0;
        var pay = 0m;
        foreach (var s in shifts)
        {
            worked += s.Worked;
            paid += s.Paid;
            pay += s.Pay;
        }

        return new RoundingFigures(worked, paid, paid - worked, PayRounding.ToCents(pay));
    }

    /// <summary>
    /// The audit of <paramref name="shifts"/> (each taken whole), grouped on <paramref name="calendar"/>'s weeks and periods.
    /// Without <paramref name="withShiftsAndWeeks"/> the per-shift and per-week rows are left empty (the dashboard's panel
    /// shows the year's periods and total, and builds it on every render).
    /// </summary>
    public static RoundingAuditResult Audit(IEnumerable<WorkedShift> shifts, PayRateTable rates, PayCalendar calendar, bool withShiftsAndWeeks = true)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(calendar);
        var rows = shifts
            .OrderBy(s => s.StartUtc)
            .Select(s => (Shift: s, Figures: Of(s, rates.RateOn(s.JobKey, s.LocalDate))))
            .ToList();

        List<RoundingSpan> Group(Func<DateOnly, DateRange> span) =>
            rows.GroupBy(r => span(r.Shift.LocalDate))
                .OrderBy(g => g.Key.Start)
                .Select(g => new RoundingSpan(g.Key.Start, g.Key.End, null, Sum(g.Select(r => r.Figures))))
                .ToList();

        List<RoundingSpan> perShift = withShiftsAndWeeks
            ? rows.ConvertAll(r => new RoundingSpan(r.Shift.LocalDate, r.Shift.LocalDate, r.Shift.JobKey, Sum([r.Figures])))
            : [];
        var weeks = withShiftsAndWeeks ? Group(calendar.WorkweekContaining) : [];
        var periods = Group(d => calendar.PeriodContaining(d).Dates);
        var years = Group(d => new DateRange(new DateOnly(d.Year, 1, 1), new DateOnly(d.Year, 12, 31)));
        var total = Sum(rows.Select(r => r.Figures));
        var lean = total.DifferenceMinutes switch
        {
            < 0 => RoundingLean.Employer,
            > 0 => RoundingLean.Employee,
            _ => RoundingLean.Neutral,
        };
        return new RoundingAuditResult(perShift, weeks, periods, years, total, lean, Statement(total, lean, rows.Count(r => r.Figures.Paid != r.Figures.Worked)), Source);
    }

    public static string Statement(RoundingFigures total, RoundingLean lean, int roundedShifts)
    {
        ArgumentNullException.ThrowIfNull(total);
        var minutes = Math.Abs(total.DifferenceMinutes);
        var dollars = Math.Abs(total.DifferencePay).ToString("C", CultureInfo.GetCultureInfo("en-US"));
        return lean switch
        {
            RoundingLean.Employer => string.Create(CultureInfo.InvariantCulture,
                $"Your employer's rounding paid you {minutes} minutes less than you worked ({dollars}) over {roundedShifts} rounded shifts. It leans towards your employer: neutral rounding should even out over time."),
            RoundingLean.Employee => string.Create(CultureInfo.InvariantCulture,
                $"Your employer's rounding paid you {minutes} minutes more than you worked ({dollars}) over {roundedShifts} rounded shifts. It leans your way."),
            _ => string.Create(CultureInfo.InvariantCulture,
                $"Your employer's rounding evened out: over {roundedShifts} rounded shifts you were paid for exactly the minutes you worked."),
        };
    }
}
