using System.Globalization;
using PayTrack.Web.Data;
using PayTrack.Web.Pay;

namespace PayTrack.Web.Components;

/// <summary>How the pages write figures: US dollars, hours to the hundredth, short US dates, 24-hour clock times.</summary>
public static class Format
{
    private static readonly CultureInfo Us = CultureInfo.GetCultureInfo("en-US");

    public static string Hours(decimal hours) => hours.ToString("#,0.00", Us);

    public static string Hours(int minutes) => Hours(PayRounding.ToHours(minutes));

    public static string Money(decimal dollars) => dollars.ToString("C2", Us);

    /// <summary>A short day ("Mon, Dec 9"), with its year when it is not in the year of <paramref name="today"/>.</summary>
    public static string Day(DateOnly date, DateOnly today) =>
        date.ToString(date.Year == today.Year ? "ddd, MMM d" : "ddd, MMM d, yyyy", Us);

    public static string ShortDay(DateOnly date) => date.ToString("ddd M/d", Us);

    public static string LongDay(DateOnly date) => date.ToString("dddd, MMMM d, yyyy", Us);

    public static string MonthDay(DateOnly date) => date.ToString("MMM d, yyyy", Us);

    /// <summary>How long ago something happened, in words ("just now", "5 minutes ago", "3 days ago").</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age.TotalMinutes < 2 ? "just now"
            : age.TotalHours < 2 ? $"{(int)age.TotalMinutes} minutes ago"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours} hours ago"
            : $"{(int)age.TotalDays} days ago";
    }

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Clock(DateTimeOffset local) => local.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string Range(DateRange range) =>
        range.Start.Year == range.End.Year
            ? string.Create(Us, $"{range.Start:MMM d} – {range.End:MMM d, yyyy}")
            : string.Create(Us, $"{range.Start:MMM d, yyyy} – {range.End:MMM d, yyyy}");

    public static string Status(ShiftStatus status) => status switch
    {
        ShiftStatus.MissingOut => "Missed out-punch",
        ShiftStatus.Anomaly => "Needs a look",
        ShiftStatus.Edited => "Edited by employer",
        ShiftStatus.Manual => "Entered by hand",
        _ => "OK",
    };

    public static string Source(ShiftSource source) => source switch
    {
        ShiftSource.Kronos => "Kronos",
        ShiftSource.Import => "Backup",
        _ => "By hand",
    };
}
