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
    /// <remarks>
    /// One pass over the shifts in start order, each span's sums kept in that order (so money adds up the same way
    /// whatever the grouping), the spans then listed by start. Every open dashboard runs this on each render, over a
    /// year of shifts: it was the page's largest computation when it sorted, grouped and summed with LINQ.
    /// </remarks>
    public static RoundingAuditResult Audit(IEnumerable<WorkedShift> shifts, PayRateTable rates, PayCalendar calendar, bool withShiftsAndWeeks = true)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(calendar);
        var ordered = InStartOrder(shifts);
        var perShift = new List<RoundingSpan>(withShiftsAndWeeks ? ordered.Length : 0);
        var weeks = withShiftsAndWeeks ? new SpanSums(calendar.WorkweekContaining) : null;
        var periods = new SpanSums(d => calendar.PeriodContaining(d).Dates);
        var years = new SpanSums(d => new DateRange(new DateOnly(d.Year, 1, 1), new DateOnly(d.Year, 12, 31)));
        var total = new Sums();
        var rounded = 0;
        foreach (var shift in ordered)
        {
            var figures = Of(shift, rates.RateOn(shift.JobKey, shift.LocalDate));
            if (withShiftsAndWeeks)
            {
                perShift.Add(new RoundingSpan(shift.LocalDate, shift.LocalDate, shift.JobKey, Sum([figures])));
            }

            weeks?.Add(shift.LocalDate, figures);
            periods.Add(shift.LocalDate, figures);
            years.Add(shift.LocalDate, figures);
            total.Add(figures);
            rounded += figures.Paid != figures.Worked ? 1 : 0;
        }

        var totalFigures = total.Figures();
        var lean = totalFigures.DifferenceMinutes switch
        {
            < 0 => RoundingLean.Employer,
            > 0 => RoundingLean.Employee,
            _ => RoundingLean.Neutral,
        };
        return new RoundingAuditResult(perShift, weeks?.Spans() ?? [], periods.Spans(), years.Spans(), totalFigures, lean, Statement(totalFigures, lean, rounded), Source);
    }

    /// <summary>The shifts by start, as a stable sort would give them; a list already in order (the usual case) is only copied.</summary>
    private static WorkedShift[] InStartOrder(IEnumerable<WorkedShift> shifts)
    {
        var array = shifts.ToArray();
        for (var i = 1; i < array.Length; i++)
        {
            if (array[i].StartUtc < array[i - 1].StartUtc)
            {
                return [.. array.OrderBy(s => s.StartUtc)];
            }
        }

        return array;
    }

    /// <summary>Running sums of one span's shifts.</summary>
    private struct Sums
    {
        private int _worked;
        private int _paid;
        private decimal _pay;

        public void Add((int Worked, int Paid, decimal Pay) figures)
        {
            _worked += figures.Worked;
            _paid += figures.Paid;
            _pay += figures.Pay;
        }

        public readonly RoundingFigures Figures() => new(_worked, _paid, _paid - _worked, PayRounding.ToCents(_pay));
    }

    /// <summary>The sums per span of one kind (week, period, year); the span of a day is looked up only when the day leaves the last one.</summary>
    private sealed class SpanSums(Func<DateOnly, DateRange> spanOf)
    {
        private readonly Dictionary<DateRange, int> _index = [];
        private readonly List<(DateRange Span, Sums Sums)> _spans = [];
        private DateRange _last;
        private int _lastIndex = -1;

        public void Add(DateOnly date, (int Worked, int Paid, decimal Pay) figures)
        {
            if (_lastIndex < 0 || !_last.Contains(date))
            {
                _last = spanOf(date);
                if (!_index.TryGetValue(_last, out _lastIndex))
                {
                    _lastIndex = _spans.Count;
                    _index.Add(_last, _lastIndex);
                    _spans.Add((_last, default));
                }
            }

            var span = _spans[_lastIndex];
            span.Sums.Add(figures);
            _spans[_lastIndex] = span;
        }

        public List<RoundingSpan> Spans()
        {
            _spans.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
            return _spans.ConvertAll(s => new RoundingSpan(s.Span.Start, s.Span.End, null, s.Sums.Figures()));
        }
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
