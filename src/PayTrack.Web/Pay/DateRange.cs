using System.Globalization;
using System.Runtime.InteropServices;

namespace PayTrack.Web.Pay;

/// <summary>Local dates from <see cref="Start"/> to <see cref="End"/>, both included.</summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct DateRange
{
    public DateRange(DateOnly start, DateOnly end)
    {
        if (end < start)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The range ends on {end:yyyy-MM-dd}, before it starts on {start:yyyy-MM-dd}."),
                nameof(end));
        }

        Start = start;
        End = end;
    }

    public DateOnly Start { get; }

    public DateOnly End { get; }

    public int DayCount => End.DayNumber - Start.DayNumber + 1;

    public bool Contains(DateOnly date) => date >= Start && date <= End;

    public bool Overlaps(DateRange other) => Start <= other.End && other.Start <= End;

    public IEnumerable<DateOnly> Days()
    {
        for (var day = Start; day <= End; day = day.AddDays(1))
        {
            yield return day;
            if (day == DateOnly.MaxValue)
            {
                yield break;
            }
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Start:yyyy-MM-dd}..{End:yyyy-MM-dd}");
}
