using PayTrack.Web.Data;

namespace PayTrack.Web.Pay;

/// <summary>A pay period's local dates (both included) and the day it is paid.</summary>
public sealed record PayPeriod(DateOnly Start, DateOnly End, DateOnly Payday)
{
    public DateRange Dates => new(Start, End);

    public bool Contains(DateOnly date) => date >= Start && date <= End;
}

/// <summary>Pay periods, paydays and workweeks of one user's settings, on local dates of the user's time zone.</summary>
public sealed class PayCalendar
{
    private readonly PayOptions _options;

    public PayCalendar(PayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid(nameof(options));
        _options = options;
    }

    public PayPeriod PeriodContaining(DateOnly date)
    {
        var (start, end) = _options.PeriodKind switch
        {
            PayPeriodKind.Weekly => Repeating(date, 7),
            PayPeriodKind.Biweekly => Repeating(date, 14),
            _ => SemiMonthly(date),
        };
        return new PayPeriod(start, end, end.AddDays(_options.PaydayOffsetDays));
    }

    /// <summary>The fixed 7-day workweek containing <paramref name="date"/>, starting on the configured day.</summary>
    public DateRange WorkweekContaining(DateOnly date)
    {
        var back = ((int)date.DayOfWeek - (int)_options.WorkweekStart + 7) % 7;
        var start = date.AddDays(-back);
        return new DateRange(start, start.AddDays(6));
    }

    /// <summary>The first payday on or after <paramref name="from"/> (today's payday counts as the next one).</summary>
    public DateOnly NextPayday(DateOnly from)
    {
        // A period's payday is on or after `from` exactly when the period ends on or after from - offset; the first
        // such period is the one containing that day.
        return PeriodContaining(from.AddDays(-_options.PaydayOffsetDays)).Payday;
    }

    public IReadOnlyList<PayPeriod> PeriodsOverlapping(DateRange range)
    {
        var periods = new List<PayPeriod>();
        for (var period = PeriodContaining(range.Start); period.Start <= range.End; period = PeriodContaining(period.End.AddDays(1)))
        {
            periods.Add(period);
        }

        return periods;
    }

    public IReadOnlyList<DateRange> WorkweeksOverlapping(DateRange range)
    {
        var weeks = new List<DateRange>();
        for (var week = WorkweekContaining(range.Start); week.Start <= range.End; week = WorkweekContaining(week.End.AddDays(1)))
        {
            weeks.Add(week);
        }

        return weeks;
    }

    private (DateOnly Start, DateOnly End) Repeating(DateOnly date, int length)
    {
        var offset = date.DayNumber - _options.PeriodAnchor.DayNumber;
        // Floor division, so an anchor after the date counts periods backwards from it.
        var index = offset >= 0 ? offset / length : ((offset + 1) / length) - 1;
        var start = _options.PeriodAnchor.AddDays(index * length);
        return (start, start.AddDays(length - 1));
    }

    private static (DateOnly Start, DateOnly End) SemiMonthly(DateOnly date) =>
        date.Day <= 15
            ? (new DateOnly(date.Year, date.Month, 1), new DateOnly(date.Year, date.Month, 15))
            : (new DateOnly(date.Year, date.Month, 16), new DateOnly(date.Year, date.Month, DateTime.DaysInMonth(date.Year, date.Month)));
}
