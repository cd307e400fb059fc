namespace PayTrack.KronosSimulator.Data;

/// <summary>
/// A college year: fall term from late August to mid December, spring term from mid January to early May with a
/// spring-break week in March, and breaks in between, when student jobs mostly stop (the contract's "weeks with no punches").
/// </summary>
internal static class AcademicCalendar
{
    public static DateOnly FallStart(int year) => MondayOnOrAfter(new DateOnly(year, 8, 24));

    public static DateOnly FallEnd(int year) => new(year, 12, 13);

    public static DateOnly SpringStart(int year) => MondayOnOrAfter(new DateOnly(year, 1, 15));

    public static DateOnly SpringEnd(int year) => new(year, 5, 8);

    /// <summary>The Sunday that starts spring-break week: the week of the third Monday of March.</summary>
    public static DateOnly SpringBreakStart(int year) => MondayOnOrAfter(new DateOnly(year, 3, 15)).AddDays(-1);

    /// <summary>The year in which the academic year holding <paramref name="day"/> began (at the fall term's start).</summary>
    public static int AcademicYear(DateOnly day) => day >= FallStart(day.Year) ? day.Year : day.Year - 1;

    public static bool InTerm(DateOnly day)
    {
        var year = day.Year;
        if (day >= FallStart(year) && day <= FallEnd(year))
        {
            return true;
        }

        if (day < SpringStart(year) || day > SpringEnd(year))
        {
            return false;
        }

        var breakStart = SpringBreakStart(year);
        return day < breakStart || day > breakStart.AddDays(6);
    }

    public static DateOnly SundayOnOrBefore(DateOnly day) => day.AddDays(-(int)day.DayOfWeek);

    private static DateOnly MondayOnOrAfter(DateOnly day) =>
        day.AddDays(((int)DayOfWeek.Monday - (int)day.DayOfWeek + 7) % 7);
}
